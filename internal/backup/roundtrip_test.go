package backup_test

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tuskhq/tusk/internal/backup"
	"github.com/tuskhq/tusk/internal/blob"
	"github.com/tuskhq/tusk/internal/dbcopy/dbcopytest"
	"github.com/tuskhq/tusk/internal/server"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

var testEnv = map[string]string{"LOCAL_DOMAIN": "tusk.example", "VAPID_PRIVATE_KEY": "c2VjcmV0", "SMTP_PASSWORD": "hunter2"}

// postgresURLOf is the URL of a test instance's PostgreSQL schema.
func postgresURLOf(t *testing.T, st *store.Store) string {
	t.Helper()
	var schema string
	if err := st.DB().QueryRow(`SELECT current_schema()`).Scan(&schema); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(os.Getenv(storetest.EnvPostgres))
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// backUp makes a backup of a populated instance on engine and returns it with the
// instance's summary.
func backUp(t *testing.T, engine store.Engine) (string, dbcopytest.Summary) {
	t.Helper()
	in := servertest.Start(t, engine, nil)
	dbcopytest.Populate(t, in)
	mediaDir := server.LocalMediaDir(in.Config)
	want := dbcopytest.Summarize(t, in.Store.DB(), &blob.Local{Root: mediaDir})
	if len(want.Files) == 0 {
		t.Fatal("the instance stored no media file")
	}
	src := backup.Source{Store: in.Store, MediaDir: mediaDir, Env: testEnv}
	if engine == store.Postgres {
		src.DatabaseURL = postgresURLOf(t, in.Store)
	}
	archive := filepath.Join(t.TempDir(), "backup.tar.zst")
	f, err := os.Create(archive)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := backup.Create(context.Background(), src, f); err != nil {
		t.Fatalf("create: %v", err)
	}
	f.Close()
	if err := verifyFile(archive); err != nil {
		t.Fatalf("verify a fresh backup: %v", err)
	}
	return archive, want
}

func openSQLite(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=query_only(ON)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func openPostgres(t *testing.T, url string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func same(t *testing.T, where string, got, want dbcopytest.Summary) {
	t.Helper()
	if !cmp.Equal(got, want) {
		t.Errorf("%s differs from the original (-want +got):\n%s", where, cmp.Diff(want, got))
	}
}

func checkEnv(t *testing.T, dataDir string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dataDir, "tusk.env"))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range testEnv {
		if !strings.Contains(string(data), k+"="+v+"\n") {
			t.Errorf("restored settings lack %s=%s:\n%s", k, v, data)
		}
	}
}

func TestBackupRoundTripFromSQLite(t *testing.T) {
	t.Parallel()
	archive, want := backUp(t, store.SQLite)
	ctx := context.Background()

	dir := filepath.Join(t.TempDir(), "data")
	if _, err := backup.Restore(ctx, archive, backup.Target{DataDir: dir}); err != nil {
		t.Fatalf("restore on a new data dir: %v", err)
	}
	same(t, "restored data dir", dbcopytest.Summarize(t, openSQLite(t, filepath.Join(dir, "tusk.db")), &blob.Local{Root: filepath.Join(dir, "media")}), want)
	checkEnv(t, dir)
	if _, err := backup.Restore(ctx, archive, backup.Target{DataDir: dir}); !errors.Is(err, backup.ErrNotEmpty) {
		t.Errorf("restore onto a used data dir: %v; want backup.ErrNotEmpty", err)
	}

	pgURL := storetest.PostgresURL(t)
	pgDir := filepath.Join(t.TempDir(), "data")
	if _, err := backup.Restore(ctx, archive, backup.Target{DataDir: pgDir, DatabaseURL: pgURL}); err != nil {
		t.Fatalf("restore on PostgreSQL: %v", err)
	}
	same(t, "restored PostgreSQL", dbcopytest.Summarize(t, openPostgres(t, pgURL), &blob.Local{Root: filepath.Join(pgDir, "media")}), want)
	if _, err := backup.Restore(ctx, archive, backup.Target{DataDir: t.TempDir(), DatabaseURL: pgURL}); !errors.Is(err, backup.ErrNotEmpty) {
		t.Errorf("restore onto a used database: %v; want backup.ErrNotEmpty", err)
	}
}

func TestBackupRoundTripFromPostgres(t *testing.T) {
	t.Parallel()
	storetest.PostgresURL(t) // skips without PostgreSQL
	archive, want := backUp(t, store.Postgres)
	pgURL := storetest.PostgresURL(t)
	dir := filepath.Join(t.TempDir(), "data")
	if _, err := backup.Restore(context.Background(), archive, backup.Target{DataDir: dir}); err == nil {
		t.Error("a PostgreSQL backup restored onto a data dir alone")
	}
	if _, err := backup.Restore(context.Background(), archive, backup.Target{DataDir: dir, DatabaseURL: pgURL}); err != nil {
		t.Fatalf("restore: %v", err)
	}
	same(t, "restored PostgreSQL", dbcopytest.Summarize(t, openPostgres(t, pgURL), &blob.Local{Root: filepath.Join(dir, "media")}), want)
	checkEnv(t, dir)
}

func verifyFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = backup.Verify(f)
	return err
}
