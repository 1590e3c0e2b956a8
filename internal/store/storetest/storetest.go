// Package storetest opens real databases for tests: a fresh SQLite file per test, and
// a fresh PostgreSQL schema per test when TUSK_TEST_DATABASE_URL is set.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/tuskhq/tusk/internal/store"
)

// EnvPostgres names the variable holding a PostgreSQL URL for tests.
const EnvPostgres = "TUSK_TEST_DATABASE_URL"

// Engines runs fn once per engine as a subtest, each with its own migrated, empty store.
func Engines(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			fn(t, Open(t, engine))
		})
	}
}

// Open returns a migrated, empty store on the engine; PostgreSQL skips when unconfigured.
func Open(t testing.TB, engine store.Engine) *store.Store {
	t.Helper()
	dbURL := ""
	if engine == store.Postgres {
		dbURL = PostgresURL(t)
	}
	s, err := store.Open(context.Background(), dbURL, filepath.Join(t.TempDir(), "tusk.db"), store.Options{})
	if err != nil {
		t.Fatalf("open %s: %v", engine, err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", engine, err)
	}
	return s
}

// PostgresURL creates a fresh schema and returns a URL whose connections use it.
// It skips the test when TUSK_TEST_DATABASE_URL is not set.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		t.Skipf("PostgreSQL tests skipped: set %s (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", EnvPostgres)
	}
	schema := "t_" + randomHex(8)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("postgres: create schema: %v", err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("pgx", base); err == nil {
			db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("postgres: %s: %v", EnvPostgres, err)
	}
	v := u.Query()
	v.Set("search_path", schema)
	u.RawQuery = v.Encode()
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// MarkHostUnavailable marks a delivery host unavailable, as sustained failure would.
func MarkHostUnavailable(t testing.TB, st *store.Store, host string) {
	t.Helper()
	ctx := context.Background()
	err := st.Tx(ctx, func(q store.Q) error {
		if err := q.EnsureDeliveryHosts(ctx, []string{host}); err != nil {
			return err
		}
		h, err := q.DeliveryHostForUpdate(ctx, host)
		if err != nil {
			return err
		}
		h.Unavailable = true
		return q.SaveDeliveryHost(ctx, h)
	})
	if err != nil {
		t.Fatalf("mark %s unavailable: %v", host, err)
	}
}
