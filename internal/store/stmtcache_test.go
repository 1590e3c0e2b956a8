package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// TestStatementCacheReuseAndNesting runs one query many times, and again while its
// own rows are still open on the same connection (inside a transaction), where the
// cached statement is busy and must not be reset under the open rows.
func TestStatementCacheReuseAndNesting(t *testing.T) {
	s := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		mustAccount(t, s, fmt.Sprintf("user%d", i), "")
	}
	const q = `SELECT username FROM accounts WHERE username LIKE $1 ORDER BY username`
	for i := 0; i < 200; i++ {
		var name string
		if err := s.DB().QueryRowContext(ctx, q, "user3").Scan(&name); err != nil || name != "user3" {
			t.Fatalf("run %d: %q, %v", i, name, err)
		}
	}
	tx, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	outer, err := tx.QueryContext(ctx, q, "user%")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for outer.Next() {
		var name, inner string
		if err := outer.Scan(&name); err != nil {
			t.Fatal(err)
		}
		if err := tx.QueryRowContext(ctx, q, name).Scan(&inner); err != nil || inner != name {
			t.Fatalf("nested query for %s = %q, %v", name, inner, err)
		}
		got = append(got, name)
	}
	if err := outer.Close(); err != nil || len(got) != 5 {
		t.Fatalf("outer rows = %v, %v; want 5 names", got, err)
	}
}

// TestStatementCacheRunsScripts runs a script of several statements, and a statement
// whose comment holds a semicolon, twice each through the cache.
func TestStatementCacheRunsScripts(t *testing.T) {
	s := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if _, err := s.DB().ExecContext(ctx, `CREATE TABLE IF NOT EXISTS t (v INTEGER); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);`); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := s.DB().QueryRowContext(ctx, "-- count; then check\nSELECT COUNT(*) FROM t").Scan(&n); err != nil || n != 2*(i+1) {
			t.Fatalf("run %d: count = %d, %v; want %d", i, n, err, 2*(i+1))
		}
	}
}
