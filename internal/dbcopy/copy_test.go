package dbcopy_test

import (
	"context"
	"database/sql"
	"errors"
	neturl "net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tuskhq/tusk/internal/blob"
	"github.com/tuskhq/tusk/internal/dbcopy"
	"github.com/tuskhq/tusk/internal/dbcopy/dbcopytest"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// SQLitePath is the file behind an SQLite store.
func sqlitePath(t *testing.T, st *store.Store) string {
	t.Helper()
	var path string
	if err := st.DB().QueryRow(`SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&path); err != nil {
		t.Fatal(err)
	}
	return path
}

func openPG(t *testing.T, url string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var errInterrupted = errors.New("interrupted by the test")

func TestCopyInterruptedResumedAndRepeated(t *testing.T) {
	t.Parallel()
	target := storetest.PostgresURL(t)
	in := servertest.Start(t, store.SQLite, nil)
	dbcopytest.Populate(t, in)
	src := sqlitePath(t, in.Store)
	files := &blob.Local{Root: t.TempDir()} // media is not the copy's business: compare rows only
	want := dbcopytest.Summarize(t, in.Store.DB(), files)
	ctx := context.Background()

	// Interrupted in the middle of the statuses, after a few small batches.
	batches := 0
	_, err := dbcopy.Copy(ctx, src, target, dbcopy.Options{BatchRows: 5, AfterBatch: func(table string, _ int64) error {
		if table == "statuses" {
			if batches++; batches == 3 {
				return errInterrupted
			}
		}
		return nil
	}})
	if !errors.Is(err, errInterrupted) {
		t.Fatalf("interrupted copy: %v", err)
	}
	rep, err := dbcopy.Copy(ctx, src, target, dbcopy.Options{BatchRows: 7})
	if err != nil {
		t.Fatalf("resumed copy: %v", err)
	}
	if got := dbcopytest.Summarize(t, openPG(t, target), files); !cmp.Equal(got, want) {
		t.Errorf("target differs from the source (-want +got):\n%s", cmp.Diff(want, got))
	}
	for _, tb := range rep.Tables {
		if tb.Name == "statuses" && (tb.Copied == 0 || tb.Copied >= tb.Rows) {
			t.Errorf("resumed copy wrote %d of %d statuses; want only those the first run had not", tb.Copied, tb.Rows)
		}
	}
	again, err := dbcopy.Copy(ctx, src, target, dbcopy.Options{})
	if err != nil {
		t.Fatalf("second complete run: %v", err)
	}
	if again.Copied != 0 {
		t.Errorf("second complete run copied %d rows; want 0", again.Copied)
	}
	for _, tb := range again.Tables {
		if tb.Resynced {
			t.Errorf("second complete run resynced %s", tb.Name)
		}
	}
}

// TestCopyKeepsJobsWorkable checks River's tables arrive usable: the sequence is past the
// copied ids, so a job inserted on PostgreSQL does not collide with a copied one.
func TestCopyKeepsJobsWorkable(t *testing.T) {
	t.Parallel()
	target := storetest.PostgresURL(t)
	in := servertest.Start(t, store.SQLite, nil)
	dbcopytest.Populate(t, in)
	if _, err := dbcopy.Copy(context.Background(), sqlitePath(t, in.Store), target, dbcopy.Options{}); err != nil {
		t.Fatal(err)
	}
	db := openPG(t, target)
	var maxID, next int64
	if err := db.QueryRow(`SELECT MAX(id) FROM river_job`).Scan(&maxID); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT nextval(pg_get_serial_sequence('river_job', 'id'))`).Scan(&next); err != nil {
		t.Fatal(err)
	}
	if next <= maxID {
		t.Errorf("river_job's next id %d is not past the copied %d", next, maxID)
	}
}

func TestCopyRefusesAnotherInstancesDatabase(t *testing.T) {
	t.Parallel()
	other := servertest.Start(t, store.Postgres, nil)
	other.NewMember(t, "mallory")
	var target string
	if err := other.Store.DB().QueryRow(`SELECT current_setting('search_path')`).Scan(&target); err != nil {
		t.Fatal(err)
	}
	in := servertest.Start(t, store.SQLite, nil)
	dbcopytest.Populate(t, in)
	url := storetest.PostgresURL(t)
	// Point the copy at the other instance's schema.
	url = replaceSearchPath(t, url, target)
	_, err := dbcopy.Copy(context.Background(), sqlitePath(t, in.Store), url, dbcopy.Options{})
	if !errors.Is(err, dbcopy.ErrForeignTarget) {
		t.Fatalf("copy into another instance's database: %v; want dbcopy.ErrForeignTarget", err)
	}
	var n int
	other.Store.DB().QueryRow(`SELECT COUNT(*) FROM accounts`).Scan(&n)
	if n != 1 {
		t.Errorf("the other instance has %d accounts after the refused copy; want its 1", n)
	}
}

func replaceSearchPath(t *testing.T, raw, schema string) string {
	t.Helper()
	u, err := neturl.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// TestCopyRebuildsSearchIndex checks posts are found by their words on the target: the
// source's FTS5 rows do not copy, so the copy must fill PostgreSQL's search_vector.
func TestCopyRebuildsSearchIndex(t *testing.T) {
	t.Parallel()
	target := storetest.PostgresURL(t)
	in := servertest.Start(t, store.SQLite, nil)
	dbcopytest.Populate(t, in)
	rep, err := dbcopy.Copy(context.Background(), sqlitePath(t, in.Store), target, dbcopy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db := openPG(t, target)
	var statuses, found int64
	if err := db.QueryRow(`SELECT COUNT(*) FROM statuses WHERE reblog_of_id IS NULL`).Scan(&statuses); err != nil {
		t.Fatal(err)
	}
	if rep.Reindexed != statuses {
		t.Errorf("reindexed %d statuses; want %d", rep.Reindexed, statuses)
	}
	err = db.QueryRow(`SELECT COUNT(*) FROM statuses WHERE search_vector @@ plainto_tsquery('simple', 'bob''s status')`).Scan(&found)
	if err != nil || found != 30 {
		t.Errorf("statuses found by their words on the target = %d, %v; want 30", found, err)
	}
}
