package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/version"
)

// Source is the instance a backup is made of.
type Source struct {
	Store       *store.Store
	DatabaseURL string            // the PostgreSQL URL when Store is PostgreSQL: the dump needs its own connection
	MediaDir    string            // the local media folder
	S3          string            // "s3://bucket/prefix" when media lives in a bucket, which is not copied
	Env         map[string]string // the settings that define the instance, secrets included
	NoMedia     bool              // leave the local media out
}

// Create writes a consistent snapshot of the running instance to w.
func Create(ctx context.Context, src Source, w io.Writer) (Manifest, error) {
	applied, err := src.Store.AppliedVersion(ctx)
	if err != nil {
		return Manifest{}, err
	}
	m := Manifest{Format: Format, TuskVersion: version.Version, Engine: string(src.Store.Engine()),
		SchemaVersion: applied, CreatedAt: time.Now().UTC(), Media: mediaLocation(src)}
	aw, err := newWriter(w)
	if err != nil {
		return m, err
	}
	if src.Store.Engine() == store.SQLite {
		err = addSQLite(ctx, aw, src.Store)
	} else {
		err = dumpPostgres(ctx, aw, src.DatabaseURL)
	}
	if err != nil {
		return m, err
	}
	if err := aw.addBytes(envName, envFile(src.Env)); err != nil {
		return m, err
	}
	if m.Media == "local" {
		if err := addMedia(ctx, aw, src.MediaDir); err != nil {
			return m, err
		}
	}
	return m, aw.close(m)
}

func mediaLocation(src Source) string {
	switch {
	case src.S3 != "":
		return src.S3
	case src.NoMedia || src.MediaDir == "":
		return "none"
	}
	return "local"
}

func (w *writer) addBytes(name string, data []byte) error {
	return w.add(name, int64(len(data)), strings.NewReader(string(data)))
}

// envFile renders settings as KEY=value lines, sorted, in the form a systemd
// EnvironmentFile or docker --env-file reads.
func envFile(env map[string]string) []byte {
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("# The settings of the instance this backup was made of (secrets included).\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%s\n", k, env[k])
	}
	return []byte(b.String())
}

// addSQLite snapshots the database with VACUUM INTO on a connection of its own: it reads
// one consistent state while the instance goes on writing beside it (WAL).
func addSQLite(ctx context.Context, w *writer, st *store.Store) error {
	var path string
	if err := st.DB().QueryRowContext(ctx, `SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&path); err != nil {
		return fmt.Errorf("backup: locate the database: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(path), ".backup-")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(tmp)
	snap := filepath.Join(tmp, "tusk.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO $1`, snap); err != nil {
		return fmt.Errorf("backup: snapshot the database: %w", err)
	}
	return addFile(w, sqliteName, snap)
}

func addFile(w *writer, name, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return w.add(name, st.Size(), f)
}

// addMedia archives every file under dir; one deleted meanwhile is skipped, as the
// instance would no longer serve it either.
func addMedia(ctx context.Context, w *writer, dir string) error {
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil || d.IsDir() || !d.Type().IsRegular() {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		err = addFile(w, mediaPrefix+filepath.ToSlash(rel), p)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("backup: media: %w", err)
	}
	return nil
}

// Verify reads a whole archive and checks it against its manifest.
func Verify(r io.Reader) (Manifest, error) { return walk(r, nil) }
