package backup

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/blob"
)

// namePrefix starts every scheduled backup's name; retention looks only at these.
const namePrefix = "tusk-backup-"

// Name is a backup's file name for its time: names sort as the times do.
func Name(now time.Time) string {
	return namePrefix + now.UTC().Format("20060102T150405Z") + ".tar.zst"
}

// Scheduled makes a backup into dst under prefix (a folder, or the bucket's backups/),
// then deletes the oldest scheduled backups beyond keep. It returns the new key.
func Scheduled(ctx context.Context, src Source, dst blob.Store, prefix string, keep int, now time.Time) (string, error) {
	f, err := os.CreateTemp("", "tusk-backup-")
	if err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if _, err := Create(ctx, src, f); err != nil {
		return "", err
	}
	size, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return "", err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	key := prefix + Name(now)
	if err := dst.Put(ctx, key, f, size, "application/zstd"); err != nil {
		return "", fmt.Errorf("backup: store %s: %w", key, err)
	}
	return key, prune(ctx, dst, prefix, keep)
}

// prune deletes the oldest scheduled backups so that keep remain.
func prune(ctx context.Context, dst blob.Store, prefix string, keep int) error {
	var keys []string
	err := dst.List(ctx, prefix, func(i blob.Info) error {
		rest := strings.TrimPrefix(i.Key, prefix)
		if strings.HasPrefix(rest, namePrefix) && !strings.Contains(rest, "/") {
			keys = append(keys, i.Key)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("backup: list backups: %w", err)
	}
	sort.Strings(keys)
	for len(keys) > keep {
		if err := dst.Delete(ctx, keys[0]); err != nil {
			return fmt.Errorf("backup: delete %s: %w", keys[0], err)
		}
		keys = keys[1:]
	}
	return nil
}
