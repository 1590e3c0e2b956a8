package social

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/media"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// ProcessMediaArgs is the job that transcodes a queued video, gifv or audio upload.
type ProcessMediaArgs struct {
	ID int64 `json:"id,string"`
}

// Kind names the job.
func (ProcessMediaArgs) Kind() string { return "process_media" }

// RemoveStaleMediaArgs is the periodic removal of media nobody attached.
type RemoveStaleMediaArgs struct{}

// Kind names the job.
func (RemoveStaleMediaArgs) Kind() string { return "remove_stale_media" }

// staleMediaAge is how long an upload may wait unattached, as Mastodon's.
const staleMediaAge = 24 * time.Hour

type processMediaWorker struct {
	river.WorkerDefaults[ProcessMediaArgs]
	s *Service
}

func (w *processMediaWorker) Work(ctx context.Context, job *river.Job[ProcessMediaArgs]) error {
	return w.s.ProcessQueuedMedia(ctx, job.Args.ID)
}

// Timeout lets a long video transcode (ffmpeg has its own limit).
func (w *processMediaWorker) Timeout(*river.Job[ProcessMediaArgs]) time.Duration {
	return 15 * time.Minute
}

type removeStaleMediaWorker struct {
	river.WorkerDefaults[RemoveStaleMediaArgs]
	s *Service
}

func (w *removeStaleMediaWorker) Work(ctx context.Context, job *river.Job[RemoveStaleMediaArgs]) error {
	_, err := w.s.RemoveStaleMedia(ctx, time.Now().Add(-staleMediaAge))
	return err
}

// RegisterMediaJobs adds media processing and the hourly removal of stale uploads.
func (s *Service) RegisterMediaJobs(reg *jobs.Registry) {
	jobs.Register(reg, &processMediaWorker{s: s})
	jobs.Register(reg, &removeStaleMediaWorker{s: s})
	reg.Every(time.Hour, RemoveStaleMediaArgs{})
}

// ProcessQueuedMedia transcodes a queued upload. A file ffmpeg refuses marks the
// attachment failed; other failures return for the queue to retry.
func (s *Service) ProcessQueuedMedia(ctx context.Context, id int64) error {
	m, err := s.Store.MediaByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil // deleted before its turn
	}
	if err != nil || m.State != model.MediaProcessing {
		return err
	}
	data, err := s.readObject(ctx, m.UploadKey)
	if err != nil {
		return err
	}
	var res *media.Result
	f, err := media.Sniff(data[:min(len(data), 512)])
	if err == nil {
		res, err = s.FFmpeg.Process(ctx, data, f)
	}
	if _, refused := media.IsRefusal(err); refused {
		s.Log.InfoContext(ctx, "media processing refused", "media", id, "err", err)
		return s.finishMedia(ctx, id, func(cur *model.MediaAttachment) { cur.State = model.MediaFailed })
	} else if err != nil {
		return err
	}
	done := &model.MediaAttachment{ID: id}
	if err := s.storeResult(ctx, done, res); err != nil {
		return err
	}
	return s.finishMedia(ctx, id, func(cur *model.MediaAttachment) {
		cur.Type, cur.FileKey, cur.FileSize, cur.ContentType = done.Type, done.FileKey, done.FileSize, done.ContentType
		cur.PreviewKey, cur.Meta.Original, cur.Meta.Small, cur.State = done.PreviewKey, done.Meta.Original, done.Meta.Small, model.MediaReady
		if cur.ThumbnailKey == "" {
			cur.Blurhash = done.Blurhash
		}
	})
}

// finishMedia applies the processing outcome to the attachment as it is now (its
// description may have changed meanwhile) and drops the upload.
func (s *Service) finishMedia(ctx context.Context, id int64, apply func(*model.MediaAttachment)) error {
	var upload string
	err := s.Store.Tx(ctx, func(q store.Q) error {
		cur, err := q.MediaByID(ctx, id)
		if err != nil {
			return err
		}
		upload = cur.UploadKey
		apply(cur)
		cur.UploadKey, cur.UploadType = "", ""
		return q.UpdateMedia(ctx, cur)
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err == nil {
		s.dropObjects(ctx, upload)
	}
	return err
}

func (s *Service) readObject(ctx context.Context, key string) ([]byte, error) {
	obj, err := s.Media.Store.Open(ctx, key)
	if err != nil {
		return nil, err
	}
	defer obj.Close()
	return io.ReadAll(io.LimitReader(obj, media.MaxVideoBytes+1))
}

// RemoveStaleMedia deletes attachments left unattached since before, with their files,
// and reports how many went.
func (s *Service) RemoveStaleMedia(ctx context.Context, before time.Time) (int, error) {
	removed := 0
	for {
		list, err := s.Store.StaleUnattachedMedia(ctx, before, 100)
		if err != nil || len(list) == 0 {
			return removed, err
		}
		for _, m := range list {
			if err := s.removeMedia(ctx, m); err != nil {
				return removed, err
			}
			removed++
		}
	}
}
