package server

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/backup"
	"github.com/tuskhq/tusk/internal/blob"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/jobs"
)

// backupsPrefix is where scheduled backups go in the media bucket; serveMedia never
// serves it, and they are uploaded with the private ACL.
const backupsPrefix = "backups/"

// BackupSource is this instance as a backup sees it; env is the process's settings.
func (s *Server) BackupSource(env map[string]string, noMedia bool) backup.Source {
	src := backup.Source{Store: s.Store, DatabaseURL: s.Config.DatabaseURL, MediaDir: LocalMediaDir(s.Config),
		Env: env, NoMedia: noMedia}
	if s.MediaStorage != nil && s.MediaStorage.State().Backend == blob.BackendS3 {
		c := s.Config.Storage.S3
		src.S3 = "s3://" + c.Bucket + "/" + c.KeyPrefix
	}
	return src
}

// BackupDestination is where scheduled backups go: TUSK_BACKUP_DIR, else the bucket
// when media is on S3, else <data dir>/backups. It returns the store and the key prefix.
func BackupDestination(cfg config.Config) (blob.Store, string, error) {
	if cfg.Backup.Dir == "" && cfg.Storage.S3.Enabled {
		c := cfg.Storage.S3
		b, err := blob.NewS3(blob.S3Options{Endpoint: c.Endpoint, Secure: c.Secure, Region: c.Region, Bucket: c.Bucket,
			AccessKey: c.AccessKey, SecretKey: c.SecretKey, PathStyle: c.PathStyle, Permission: "private",
			KeyPrefix: c.KeyPrefix, MultipartThreshold: c.MultipartThreshold})
		return b, backupsPrefix, err
	}
	dir := cfg.Backup.Dir
	if dir == "" {
		dir = filepath.Join(cfg.DataDir, "backups")
	}
	return &blob.Local{Root: dir}, "", nil
}

// BackupArgs is the scheduled backup.
type BackupArgs struct{}

// Kind names the job.
func (BackupArgs) Kind() string { return "backup" }

type backupWorker struct {
	river.WorkerDefaults[BackupArgs]
	s *Server
}

// Timeout lets a backup of a large instance run past the usual job time-out.
func (w *backupWorker) Timeout(*river.Job[BackupArgs]) time.Duration { return 12 * time.Hour }

func (w *backupWorker) Work(ctx context.Context, _ *river.Job[BackupArgs]) error {
	dst, prefix, err := BackupDestination(w.s.Config)
	if err != nil {
		return err
	}
	// The settings a restore needs are the process's environment, read here as config
	// read it at start-up.
	src := w.s.BackupSource(config.Environment(os.Getenv), false)
	key, err := backup.Scheduled(ctx, src, dst, prefix, w.s.Config.Backup.Keep, time.Now())
	if err != nil {
		return err
	}
	w.s.Log.Info("backup made", "key", key, "keep", w.s.Config.Backup.Keep)
	return river.RecordOutput(ctx, map[string]string{"key": key})
}

// registerBackupJobs schedules backups when TUSK_BACKUP_SCHEDULE is set; the scheduler
// (one process of all) runs them.
func (s *Server) registerBackupJobs(reg *jobs.Registry) {
	jobs.Register(reg, &backupWorker{s: s})
	if s.Config.Backup.Every > 0 {
		reg.Every(s.Config.Backup.Every, BackupArgs{})
	}
}
