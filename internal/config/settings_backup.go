package config

import (
	"strings"
	"time"
)

// BackupConfig holds the settings of scheduled backups.
type BackupConfig struct {
	// Every is the interval between scheduled backups; 0 turns them off.
	Every time.Duration
	// Keep is how many scheduled backups are kept; older ones are deleted.
	Keep int
	// Dir is the folder backups go to; empty means the S3 bucket's backups/ prefix when
	// media is on S3, else <data dir>/backups.
	Dir string
}

// backupSettings are the variables of scheduled backups.
var backupSettings = []setting{
	{"TUSK_BACKUP_SCHEDULE", "backup-schedule", "", "interval between scheduled backups, e.g. 24h or 6h (1h to 720h); empty: no scheduled backups", func(c *Config, v string) (err error) {
		if strings.TrimSpace(v) == "" {
			return nil
		}
		c.Backup.Every, err = parseDuration(v, time.Hour, 720*time.Hour)
		return err
	}},
	{"TUSK_BACKUP_KEEP", "backup-keep", "7", "how many scheduled backups to keep; the oldest beyond this are deleted", func(c *Config, v string) (err error) {
		c.Backup.Keep, err = parseInt(v, 1, 1000)
		return err
	}},
	{"TUSK_BACKUP_DIR", "backup-dir", "", "folder for scheduled backups; empty: the S3 bucket's backups/ prefix when media is on S3, else <data dir>/backups", func(c *Config, v string) error {
		c.Backup.Dir = v
		return nil
	}},
}

// Environment returns every setting's value as the process sees it (flags are not
// included): what a backup records as the settings that define the instance.
func Environment(getenv func(string) string) map[string]string {
	out := map[string]string{}
	for _, s := range settings {
		if v := getenv(s.env); v != "" {
			out[s.env] = v
		}
	}
	return out
}
