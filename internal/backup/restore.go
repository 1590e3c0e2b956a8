package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/tuskhq/tusk/internal/dbcopy"
	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/store"
)

// ErrNotEmpty is returned when a restore's data dir or database already holds something.
var ErrNotEmpty = errors.New("backup: restore only onto an empty data dir or database")

// Target is where a restore goes: a data dir (the SQLite database, media and settings
// file), a PostgreSQL database, or both (the database there, media in the data dir).
type Target struct {
	DataDir     string
	DatabaseURL string
	Progress    io.Writer // the copy's progress bar when an SQLite backup goes to PostgreSQL
}

// Restore checks the archive at path whole, then unpacks it onto the empty target.
func Restore(ctx context.Context, path string, t Target) (Manifest, error) {
	m, err := verifyFile(path)
	if err != nil {
		return m, err
	}
	if err := checkTarget(ctx, m, t); err != nil {
		return m, err
	}
	if t.DataDir != "" {
		if err := os.MkdirAll(t.DataDir, 0o750); err != nil {
			return m, fmt.Errorf("backup: %w", err)
		}
	}
	u := &unpacker{t: t}
	defer u.close(ctx)
	if err := u.prepare(ctx, m); err != nil {
		return m, err
	}
	f, err := os.Open(path)
	if err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	if _, err := walk(f, func(name string, _ int64, r io.Reader) error { return u.file(ctx, name, r) }); err != nil {
		return m, err
	}
	return m, u.finish(ctx)
}

func verifyFile(path string) (Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return Manifest{}, fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	return Verify(f)
}

func checkTarget(ctx context.Context, m Manifest, t Target) error {
	switch {
	case t.DataDir == "" && t.DatabaseURL == "":
		return errors.New("backup: restore needs --data-dir, --database-url, or both")
	case m.Engine == string(store.Postgres) && t.DatabaseURL == "":
		return errors.New("backup: this is a PostgreSQL backup: restore it with --database-url (and --data-dir for its media and settings)")
	case m.Media == "local" && t.DataDir == "":
		return errors.New("backup: this backup holds media files: give --data-dir for them")
	}
	if t.DataDir != "" {
		entries, err := os.ReadDir(t.DataDir)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("backup: %w", err)
		}
		if len(entries) > 0 {
			return fmt.Errorf("%w: %s is not empty", ErrNotEmpty, t.DataDir)
		}
	}
	if t.DatabaseURL == "" {
		return nil
	}
	return checkEmptyDatabase(ctx, t.DatabaseURL)
}

// checkEmptyDatabase accepts a database without tables, or with tusk's tables all empty.
func checkEmptyDatabase(ctx context.Context, url string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return fmt.Errorf("backup: connect to postgres: %w", err)
	}
	defer conn.Close(ctx)
	tables, err := pgTables(ctx, conn)
	if err != nil {
		return err
	}
	for _, t := range tables {
		var used bool
		if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM "+quoteIdent(t.Name)+")").Scan(&used); err != nil {
			return fmt.Errorf("backup: look into %s: %w", t.Name, err)
		}
		if used {
			return fmt.Errorf("%w: table %s of the target database has rows", ErrNotEmpty, t.Name)
		}
	}
	return nil
}

// unpacker puts each archived file where it belongs.
type unpacker struct {
	t      Target
	tmp    string // an SQLite backup bound for PostgreSQL is unpacked here first
	loader *pgLoader
	pgTx   pgx.Tx
}

func (u *unpacker) prepare(ctx context.Context, m Manifest) error {
	if t := u.t; t.DatabaseURL != "" {
		if m.Engine == string(store.SQLite) {
			tmp, err := os.MkdirTemp("", "tusk-restore-")
			u.tmp = tmp
			return err
		}
		return u.openPostgres(ctx, m)
	}
	return nil
}

// openPostgres migrates the target to the backup's schema and starts the one
// transaction the whole load runs in: a failed restore leaves the database empty.
func (u *unpacker) openPostgres(ctx context.Context, m Manifest) error {
	st, err := store.Open(ctx, u.t.DatabaseURL, "", store.Options{Pool: 2})
	if err != nil {
		return err
	}
	defer st.Close()
	if want := st.SchemaVersion(); m.SchemaVersion != want {
		return fmt.Errorf("backup: the backup's schema is version %d and this tusk's %d: restore it with the tusk version that made it (%s), then upgrade", m.SchemaVersion, want, m.TuskVersion)
	}
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	if _, err := jobs.Migrate(ctx, st); err != nil {
		return err
	}
	conn, err := pgx.Connect(ctx, u.t.DatabaseURL)
	if err != nil {
		return fmt.Errorf("backup: connect to postgres: %w", err)
	}
	u.loader = &pgLoader{conn: conn}
	u.pgTx, err = conn.Begin(ctx)
	return err
}

func (u *unpacker) file(ctx context.Context, name string, r io.Reader) error {
	switch {
	case name == sqliteName && u.tmp != "":
		return writeFile(filepath.Join(u.tmp, "tusk.db"), r, 0o600)
	case name == sqliteName:
		return writeFile(filepath.Join(u.t.DataDir, "tusk.db"), r, 0o600)
	case strings.HasPrefix(name, pgPrefix):
		return u.loader.load(ctx, name, r)
	case strings.HasPrefix(name, mediaPrefix):
		return writeFile(filepath.Join(u.t.DataDir, "media", filepath.FromSlash(strings.TrimPrefix(name, mediaPrefix))), r, 0o640)
	case name == envName && u.t.DataDir != "":
		return writeFile(filepath.Join(u.t.DataDir, "tusk.env"), r, 0o600) // it holds secrets
	}
	return nil
}

func writeFile(path string, r io.Reader, mode os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, mode)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return fmt.Errorf("backup: write %s: %w", path, err)
	}
	return f.Close()
}

func (u *unpacker) finish(ctx context.Context) error {
	if u.pgTx != nil {
		if err := u.pgTx.Commit(ctx); err != nil {
			return fmt.Errorf("backup: commit the restore: %w", err)
		}
		u.pgTx = nil
	}
	if u.tmp != "" {
		_, err := dbcopy.Copy(ctx, filepath.Join(u.tmp, "tusk.db"), u.t.DatabaseURL, dbcopy.Options{Progress: u.t.Progress})
		return err
	}
	return nil
}

func (u *unpacker) close(ctx context.Context) {
	if u.pgTx != nil {
		_ = u.pgTx.Rollback(ctx)
	}
	if u.loader != nil {
		_ = u.loader.conn.Close(ctx)
	}
	if u.tmp != "" {
		os.RemoveAll(u.tmp)
	}
}
