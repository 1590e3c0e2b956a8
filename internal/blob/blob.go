// Package blob keeps media objects (attachments, avatars, headers, emoji, cached remote
// media) in a storage backend — a local folder or an S3-compatible bucket — and names the
// URLs they are served at. Keys are chosen by tusk, never taken from uploaded file names.
package blob

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"
)

// ErrNotExist is returned for a key the backend does not hold.
var ErrNotExist = errors.New("blob: object does not exist")

// Info describes a stored object.
type Info struct {
	Key         string
	Size        int64
	ContentType string
	ModTime     time.Time
	ETag        string // the backend's checksum-based tag, quoted as HTTP wants it
}

// Object is an open stored object: readable, seekable (for Range requests) and closable.
type Object interface {
	io.ReadSeekCloser
	Info() Info
}

// Store is a storage backend.
type Store interface {
	// Put stores r's size bytes under key, replacing any object there.
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error
	// Open opens key for reading; ErrNotExist when absent.
	Open(ctx context.Context, key string) (Object, error)
	// Stat describes key; ErrNotExist when absent.
	Stat(ctx context.Context, key string) (Info, error)
	// Delete removes key; deleting an absent key is not an error.
	Delete(ctx context.Context, key string) error
	// List calls fn for every object whose key starts with prefix, in key order.
	List(ctx context.Context, prefix string, fn func(Info) error) error
}

// Media is the instance's media storage: the backend objects live in, and the host
// their URLs start with. URLs name the media host, never the backend, so a change of
// backend breaks no link.
type Media struct {
	Store Store
	Host  string // base URL, e.g. https://media.example.com or http://localhost:3000/system
}

// URL is the public URL of key.
func (m *Media) URL(key string) string { return strings.TrimRight(m.Host, "/") + "/" + key }

// validKey refuses keys that could escape a folder or confuse a backend.
func validKey(key string) bool {
	if key == "" || strings.HasPrefix(key, "/") || strings.Contains(key, "\\") {
		return false
	}
	for _, part := range strings.Split(key, "/") {
		if part == "" || part == "." || part == ".." {
			return false
		}
	}
	return true
}
