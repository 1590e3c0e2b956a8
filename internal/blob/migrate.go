package blob

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Progress reports a copy's advance after each object.
type Progress struct {
	Objects, TotalObjects int
	Bytes, TotalBytes     int64
	Skipped               int // already on the target, identical
	Started               time.Time
}

// ETA estimates the time left from the byte rate so far.
func (p Progress) ETA() time.Duration {
	elapsed := time.Since(p.Started)
	if p.Bytes == 0 || elapsed <= 0 {
		return 0
	}
	rate := float64(p.Bytes) / elapsed.Seconds()
	return time.Duration(float64(p.TotalBytes-p.Bytes) / rate * float64(time.Second)).Round(time.Second)
}

// Inventory counts what a copy would move: every object under each prefix.
func Inventory(ctx context.Context, s Store, prefixes []string) ([]Info, error) {
	var out []Info
	for _, p := range prefixes {
		if err := s.List(ctx, p, func(i Info) error { out = append(out, i); return nil }); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// copyWorkers is how many objects a copy moves at once: S3 round trips, not bandwidth,
// bound the copy of small files.
const copyWorkers = 4

// CopyAll copies objects from src to dst, verifying each copy by size and MD5. An object
// already on dst with the same size and checksum is skipped, so an interrupted copy
// resumes where it stopped. progress, if not nil, is called after each object.
func CopyAll(ctx context.Context, src, dst Store, objects []Info, progress func(Progress)) (Progress, error) {
	p := Progress{TotalObjects: len(objects), Started: time.Now()}
	for _, o := range objects {
		p.TotalBytes += o.Size
	}
	have := map[string]Info{} // what dst holds already: one listing rather than a request per object
	if err := dst.List(ctx, "", func(i Info) error { have[i.Key] = i; return nil }); err != nil {
		return p, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	var firstErr error
	work := make(chan Info)
	var wg sync.WaitGroup
	for range copyWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for o := range work {
				copied, err := copyOne(ctx, src, dst, o, have[o.Key])
				if errors.Is(err, ErrNotExist) {
					err = nil // deleted since it was listed
				}
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
					cancel()
				}
				if err == nil {
					p.Objects++
					p.Bytes += o.Size
					if !copied {
						p.Skipped++
					}
					if progress != nil {
						progress(p)
					}
				}
				mu.Unlock()
			}
		}()
	}
	for _, o := range objects {
		select {
		case work <- o:
			continue
		case <-ctx.Done():
		}
		break
	}
	close(work)
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return p, firstErr
}

// copyOne copies one object unless dst already holds it; it reports whether it copied.
func copyOne(ctx context.Context, src, dst Store, o, have Info) (bool, error) {
	if have.Size == o.Size && plainMD5(have.ETag) != "" && have.ETag == o.ETag {
		return false, nil
	}
	r, err := src.Open(ctx, o.Key)
	if err != nil {
		return false, err
	}
	defer r.Close()
	info := r.Info()
	h := md5.New()
	if err := dst.Put(ctx, o.Key, io.TeeReader(r, h), info.Size, info.ContentType); err != nil {
		return false, err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if want := plainMD5(info.ETag); want != "" && want != sum {
		return false, fmt.Errorf("blob: copy %s: read %s from the source, whose checksum is %s", o.Key, sum, want)
	}
	return true, verify(ctx, dst, o.Key, info.Size, sum)
}

// verify checks the copy on dst: its size, and its checksum — from the ETag when the
// backend's ETag is the MD5 (single-part uploads), else by reading it back.
func verify(ctx context.Context, dst Store, key string, size int64, sum string) error {
	got, err := dst.Stat(ctx, key)
	if err != nil {
		return fmt.Errorf("blob: verify %s: %w", key, err)
	}
	if got.Size != size {
		return fmt.Errorf("blob: verify %s: the copy has %d bytes, the source %d", key, got.Size, size)
	}
	if tag := plainMD5(got.ETag); tag != "" {
		if tag != sum {
			return fmt.Errorf("blob: verify %s: the copy's checksum is %s, the source's %s", key, tag, sum)
		}
		return nil
	}
	r, err := dst.Open(ctx, key)
	if err != nil {
		return fmt.Errorf("blob: verify %s: %w", key, err)
	}
	defer r.Close()
	h := md5.New()
	if _, err := io.Copy(h, r); err != nil {
		return fmt.Errorf("blob: verify %s: %w", key, err)
	}
	if hex.EncodeToString(h.Sum(nil)) != sum {
		return fmt.Errorf("blob: verify %s: the copy reads back differently", key)
	}
	return nil
}

// plainMD5 returns the hex MD5 an ETag carries, or "" for a multipart or opaque tag.
func plainMD5(etag string) string {
	t := strings.Trim(etag, `"`)
	if len(t) != 32 {
		return ""
	}
	if _, err := hex.DecodeString(t); err != nil {
		return ""
	}
	return strings.ToLower(t)
}
