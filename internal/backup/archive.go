// Package backup makes, checks and restores an instance's backups: one zstd-compressed
// tar holding a consistent snapshot of the database, the local media files, the settings
// that define the instance (its secrets included) and a manifest with every file's size
// and SHA-256.
package backup

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/klauspost/compress/zstd"
)

// Format is the archive layout's version, raised when it changes incompatibly.
const Format = 1

// The archive's parts, by path prefix.
const (
	manifestName = "manifest.json"
	sqliteName   = "database/tusk.db"
	pgPrefix     = "database/postgres/" // one COPY text file per table, and tables.json
	mediaPrefix  = "media/"
	envName      = "config/tusk.env"
)

// Manifest describes an archive. It is the archive's last entry: it lists the others.
type Manifest struct {
	Format        int       `json:"format"`
	TuskVersion   string    `json:"tusk_version"`
	Engine        string    `json:"engine"`
	SchemaVersion int       `json:"schema_version"`
	CreatedAt     time.Time `json:"created_at"`
	// Media says where media is: "local" (in the archive), "none" (--no-media) or
	// "s3://bucket/prefix" (left in the bucket, which a backup does not copy).
	Media string `json:"media"`
	Files []File `json:"files"`
}

// File is one archived file.
type File struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// writer adds files to a compressed tar and records them for the manifest.
type writer struct {
	zw    *zstd.Encoder
	tw    *tar.Writer
	files []File
}

func newWriter(w io.Writer) (*writer, error) {
	zw, err := zstd.NewWriter(w)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	return &writer{zw: zw, tw: tar.NewWriter(zw)}, nil
}

// add copies size bytes of r into the archive under name.
func (w *writer) add(name string, size int64, r io.Reader) error {
	hdr := &tar.Header{Name: name, Size: size, Mode: 0o600, ModTime: time.Now(), Typeflag: tar.TypeReg}
	if err := w.tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("backup: add %s: %w", name, err)
	}
	h := sha256.New()
	n, err := io.Copy(w.tw, io.TeeReader(io.LimitReader(r, size), h))
	if err != nil {
		return fmt.Errorf("backup: add %s: %w", name, err)
	}
	if n != size {
		return fmt.Errorf("backup: add %s: read %d bytes of %d (the file changed while it was copied)", name, n, size)
	}
	w.files = append(w.files, File{Path: name, Size: size, SHA256: hex.EncodeToString(h.Sum(nil))})
	return nil
}

// close writes the manifest and finishes the archive.
func (w *writer) close(m Manifest) error {
	m.Files = w.files
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	hdr := &tar.Header{Name: manifestName, Size: int64(len(data)), Mode: 0o600, ModTime: time.Now(), Typeflag: tar.TypeReg}
	if err := w.tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("backup: manifest: %w", err)
	}
	if _, err := w.tw.Write(data); err != nil {
		return fmt.Errorf("backup: manifest: %w", err)
	}
	if err := w.tw.Close(); err != nil {
		return fmt.Errorf("backup: finish: %w", err)
	}
	return w.zw.Close()
}

// ErrCorrupt is returned for an archive whose contents do not match its manifest.
var ErrCorrupt = errors.New("backup: the archive is damaged")

// walk reads an archive, calling fn for each file but the manifest with a reader of its
// contents, then checks every file against the manifest: sizes, SHA-256, none missing,
// none extra. fn may be nil, to check only.
func walk(r io.Reader, fn func(name string, size int64, r io.Reader) error) (Manifest, error) {
	var m Manifest
	zr, err := zstd.NewReader(r)
	if err != nil {
		return m, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	seen := map[string]File{}
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return m, fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		if err := checkName(hdr); err != nil {
			return m, err
		}
		if hdr.Name == manifestName {
			if err := json.NewDecoder(io.LimitReader(tr, 64<<20)).Decode(&m); err != nil {
				return m, fmt.Errorf("%w: manifest: %v", ErrCorrupt, err)
			}
			continue
		}
		f, err := consume(tr, hdr, fn)
		if err != nil {
			return m, err
		}
		seen[f.Path] = f
	}
	return m, match(m, seen)
}

// checkName refuses entries that could land outside the restore folder.
func checkName(hdr *tar.Header) error {
	clean := path.Clean(hdr.Name)
	if hdr.Typeflag != tar.TypeReg || clean != hdr.Name || strings.HasPrefix(clean, "/") || strings.HasPrefix(clean, "../") || clean == ".." {
		return fmt.Errorf("%w: unexpected entry %q", ErrCorrupt, hdr.Name)
	}
	return nil
}

func consume(tr io.Reader, hdr *tar.Header, fn func(string, int64, io.Reader) error) (File, error) {
	h := sha256.New()
	r := io.TeeReader(tr, h)
	if fn != nil {
		if err := fn(hdr.Name, hdr.Size, r); err != nil {
			return File{}, err
		}
	}
	if _, err := io.Copy(io.Discard, r); err != nil { // what fn left unread still counts
		return File{}, fmt.Errorf("%w: %s: %v", ErrCorrupt, hdr.Name, err)
	}
	return File{Path: hdr.Name, Size: hdr.Size, SHA256: sum(h)}, nil
}

func sum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

func match(m Manifest, seen map[string]File) error {
	if m.Format == 0 {
		return fmt.Errorf("%w: no manifest", ErrCorrupt)
	}
	if m.Format > Format {
		return fmt.Errorf("backup: the archive's format is %d; this tusk reads up to %d", m.Format, Format)
	}
	var problems []string
	for _, f := range m.Files {
		got, ok := seen[f.Path]
		switch {
		case !ok:
			problems = append(problems, f.Path+" is missing")
		case got != f:
			problems = append(problems, f.Path+" does not match its checksum")
		}
		delete(seen, f.Path)
	}
	for name := range seen {
		problems = append(problems, name+" is not in the manifest")
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("%w: %s", ErrCorrupt, strings.Join(problems, "; "))
	}
	return nil
}
