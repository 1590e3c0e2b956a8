package blob

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Local keeps objects as files under a root folder (the data dir's media folder).
// A content-type sidecar is not needed: types follow from the extensions tusk chose.
type Local struct {
	Root string

	mu    sync.Mutex
	etags map[etagKey]string // MD5s already computed, so serving a file does not hash it each time
}

// etagKey identifies a file's content well enough to reuse its hash: objects are written
// once under keys that change with their content, and a rewrite changes the mtime.
type etagKey struct {
	path  string
	size  int64
	mtime time.Time
}

// maxCachedETags bounds the hash cache; past it, the cache starts over.
const maxCachedETags = 50000

func (l *Local) path(key string) (string, error) {
	if !validKey(key) {
		return "", fmt.Errorf("blob: invalid key %q", key)
	}
	return filepath.Join(l.Root, filepath.FromSlash(key)), nil
}

// Put writes to a temporary file and renames it into place, so a reader never sees half an object.
func (l *Local) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return fmt.Errorf("blob: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".put-*")
	if err != nil {
		return fmt.Errorf("blob: %w", err)
	}
	defer os.Remove(tmp.Name())
	n, err := io.Copy(tmp, r)
	if err == nil && size >= 0 && n != size {
		err = fmt.Errorf("wrote %d bytes, expected %d", n, size)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), p)
	}
	if err != nil {
		return fmt.Errorf("blob: put %s: %w", key, err)
	}
	return nil
}

type localObject struct {
	*os.File
	info Info
}

func (o *localObject) Info() Info { return o.info }

// Open opens key's file.
func (l *Local) Open(ctx context.Context, key string) (Object, error) {
	info, err := l.Stat(ctx, key)
	if err != nil {
		return nil, err
	}
	p, _ := l.path(key)
	f, err := os.Open(p)
	if err != nil {
		return nil, notExist(err, key)
	}
	return &localObject{File: f, info: info}, nil
}

// Stat describes key's file; its ETag hashes the file, as S3's does for simple uploads.
func (l *Local) Stat(ctx context.Context, key string) (Info, error) {
	p, err := l.path(key)
	if err != nil {
		return Info{}, err
	}
	st, err := os.Stat(p)
	if err != nil {
		return Info{}, notExist(err, key)
	}
	return l.info(key, p, st)
}

func (l *Local) info(key, p string, st fs.FileInfo) (Info, error) {
	etag, err := l.etag(key, p, st)
	if err != nil {
		return Info{}, err
	}
	return Info{Key: key, Size: st.Size(), ModTime: st.ModTime(), ContentType: typeOf(key), ETag: etag}, nil
}

func (l *Local) etag(key, p string, st fs.FileInfo) (string, error) {
	k := etagKey{p, st.Size(), st.ModTime()}
	l.mu.Lock()
	etag, ok := l.etags[k]
	l.mu.Unlock()
	if ok {
		return etag, nil
	}
	f, err := os.Open(p)
	if err != nil {
		return "", notExist(err, key)
	}
	defer f.Close()
	h := md5.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("blob: hash %s: %w", key, err)
	}
	etag = `"` + hex.EncodeToString(h.Sum(nil)) + `"`
	l.mu.Lock()
	if l.etags == nil || len(l.etags) >= maxCachedETags {
		l.etags = map[etagKey]string{}
	}
	l.etags[k] = etag
	l.mu.Unlock()
	return etag, nil
}

// Delete removes key's file.
func (l *Local) Delete(ctx context.Context, key string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob: delete %s: %w", key, err)
	}
	return nil
}

// List walks the files under prefix in key order.
func (l *Local) List(ctx context.Context, prefix string, fn func(Info) error) error {
	var keys []string
	err := filepath.WalkDir(l.Root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".put-") {
			return nil
		}
		rel, err := filepath.Rel(l.Root, p)
		if err != nil {
			return err
		}
		if key := filepath.ToSlash(rel); strings.HasPrefix(key, prefix) {
			keys = append(keys, key)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("blob: list %s: %w", prefix, err)
	}
	sort.Strings(keys)
	for _, key := range keys {
		info, err := l.Stat(ctx, key)
		if errors.Is(err, ErrNotExist) {
			continue // deleted while listing
		}
		if err != nil {
			return err
		}
		if err := fn(info); err != nil {
			return err
		}
	}
	return nil
}

func notExist(err error, key string) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob: %s: %w", key, ErrNotExist)
	}
	return fmt.Errorf("blob: %s: %w", key, err)
}

// typeOf names the content type of a key by the extension tusk gave it.
func typeOf(key string) string {
	if t := mime.TypeByExtension(filepath.Ext(key)); t != "" {
		return t
	}
	return "application/octet-stream"
}
