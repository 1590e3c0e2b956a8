package emoji

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tuskhq/tusk/internal/blob"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// Importer stores emoji images in the media storage (keys emoji/<file>) and their
// records in Store.
type Importer struct {
	Store     *store.Store
	Blobs     blob.Store // the instance's media storage; nil: a local folder holding Dir
	Dir       string     // the local media folder's emoji folder, used when Blobs is nil
	Catalogue *Catalogue // reloaded after an import; may be nil
}

// Key is the media storage key of an emoji image file.
func Key(file string) string { return "emoji/" + file }

func (im *Importer) blobs() blob.Store {
	if im.Blobs != nil {
		return im.Blobs
	}
	return &blob.Local{Root: filepath.Dir(im.Dir)}
}

// Options tune an import, as tootctl's emoji import does.
type Options struct {
	Category       string
	Prefix, Suffix string // added around each file's name to make its shortcode
	Overwrite      bool   // replace emoji that already exist
	Unlisted       bool   // keep the new emoji out of the picker
}

// Result tells what an import did with each file.
type Result struct {
	Imported []string
	Skipped  map[string]string // file name → why
}

// Import reads every image in a folder, a .tar, .tar.gz / .tgz or .zip archive.
func (im *Importer) Import(ctx context.Context, path string, o Options) (*Result, error) {
	res := &Result{Skipped: map[string]string{}}
	each := func(name string, r io.Reader) error {
		why, err := im.importOne(ctx, name, r, o)
		if err != nil {
			return err
		}
		if why != "" {
			res.Skipped[name] = why
		} else {
			res.Imported = append(res.Imported, name)
		}
		return nil
	}
	if err := walk(path, each); err != nil {
		return res, err
	}
	im.Catalogue.Invalidate()
	return res, nil
}

// walk calls fn with each regular file of a folder or archive.
func walk(path string, fn func(name string, r io.Reader) error) error {
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("emoji: %w", err)
	}
	lower := strings.ToLower(path)
	switch {
	case info.IsDir():
		return walkDir(path, fn)
	case strings.HasSuffix(lower, ".zip"):
		return walkZip(path, fn)
	case strings.HasSuffix(lower, ".tar.gz"), strings.HasSuffix(lower, ".tgz"), strings.HasSuffix(lower, ".tar"):
		return walkTar(path, strings.HasSuffix(lower, ".tar"), fn)
	}
	return fmt.Errorf("emoji: %s is neither a folder nor a .zip, .tar, .tar.gz or .tgz archive", path)
}

func walkDir(root string, fn func(string, io.Reader) error) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return fmt.Errorf("emoji: %w", err)
		}
		defer f.Close()
		return fn(d.Name(), f)
	})
}

func walkZip(path string, fn func(string, io.Reader) error) error {
	z, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("emoji: %s: %w", path, err)
	}
	defer z.Close()
	for _, f := range z.File {
		if !f.Mode().IsRegular() {
			continue
		}
		r, err := f.Open()
		if err != nil {
			return fmt.Errorf("emoji: %s: %w", f.Name, err)
		}
		err = fn(filepath.Base(f.Name), r)
		r.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func walkTar(path string, plain bool, fn func(string, io.Reader) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("emoji: %w", err)
	}
	defer f.Close()
	var r io.Reader = f
	if !plain {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return fmt.Errorf("emoji: %s: %w", path, err)
		}
		defer gz.Close()
		r = gz
	}
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("emoji: %s: %w", path, err)
		}
		if h.Typeflag == tar.TypeReg {
			if err := fn(filepath.Base(h.Name), tr); err != nil {
				return err
			}
		}
	}
}

// importOne stores one image; it returns why it skipped the file, or "" when stored.
func (im *Importer) importOne(ctx context.Context, name string, r io.Reader, o Options) (string, error) {
	if strings.HasPrefix(name, ".") {
		return "hidden file", nil
	}
	shortcode := o.Prefix + strings.TrimSuffix(name, filepath.Ext(name)) + o.Suffix
	if !ValidShortcode(shortcode) {
		return fmt.Sprintf("shortcode %q is not 2 to %d letters, digits or underscores", shortcode, maxShortcode), nil
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxImageBytes+1))
	if err != nil {
		return "", fmt.Errorf("emoji: read %s: %w", name, err)
	}
	if len(data) > MaxImageBytes {
		return fmt.Sprintf("larger than %d KB", MaxImageBytes/1024), nil
	}
	ct := http.DetectContentType(data)
	if !slices.Contains(ContentTypes, ct) {
		return fmt.Sprintf("content is %s, not PNG, GIF or WebP", ct), nil
	}
	old, err := im.Store.LocalEmoji(ctx, shortcode)
	switch {
	case err == nil && !o.Overwrite:
		return "an emoji with this shortcode exists (use --overwrite to replace it)", nil
	case errors.Is(err, store.ErrNotFound):
		old = nil
	case err != nil:
		return "", err
	}
	return "", im.save(ctx, shortcode, data, ct, o, old)
}

// save writes the image, then the record; a replaced image is removed once unused.
func (im *Importer) save(ctx context.Context, shortcode string, data []byte, ct string, o Options, old *model.CustomEmoji) error {
	sum := sha256.Sum256(data)
	file := FileName(shortcode, hex.EncodeToString(sum[:]), ct)
	if err := im.blobs().Put(ctx, Key(file), bytes.NewReader(data), int64(len(data)), ct); err != nil {
		return fmt.Errorf("emoji: %w", err)
	}
	e := &model.CustomEmoji{Shortcode: shortcode, File: file, ContentType: ct, Category: o.Category, VisibleInPicker: !o.Unlisted}
	if old != nil {
		e.ID, e.CreatedAt = old.ID, old.CreatedAt
	}
	if err := im.Store.Writer().UpsertLocalEmoji(ctx, e); err != nil {
		return err
	}
	if old != nil && old.File != file {
		return im.removeIfUnused(ctx, old.File)
	}
	return nil
}

// Remove deletes a local emoji and its image.
func (im *Importer) Remove(ctx context.Context, shortcode string) error {
	e, err := im.Store.LocalEmoji(ctx, shortcode)
	if err != nil {
		return err
	}
	if err := im.Store.Writer().DeleteLocalEmoji(ctx, shortcode); err != nil {
		return err
	}
	im.Catalogue.Invalidate()
	return im.removeIfUnused(ctx, e.File)
}

func (im *Importer) removeIfUnused(ctx context.Context, file string) error {
	used, err := im.Store.EmojiFileInUse(ctx, file)
	if err != nil || used {
		return err
	}
	if err := im.blobs().Delete(ctx, Key(file)); err != nil {
		return fmt.Errorf("emoji: %w", err)
	}
	return nil
}
