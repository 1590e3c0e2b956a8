package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
)

// PostgresSchema creates a fresh schema, bench_<random>, in baseURL's database and
// returns a URL whose connections use only it, so seeding never touches an existing
// instance's tables; drop removes the schema and everything in it.
func PostgresSchema(ctx context.Context, baseURL string) (schemaURL string, drop func(context.Context) error, err error) {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", nil, fmt.Errorf("bench: database URL must be postgres://…")
	}
	schema := "bench_" + randomHex(6)
	db, err := sql.Open("pgx", baseURL)
	if err != nil {
		return "", nil, fmt.Errorf("bench: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		return "", nil, fmt.Errorf("bench: create schema %s: %w", schema, err)
	}
	v := u.Query()
	v.Set("search_path", schema)
	u.RawQuery = v.Encode()
	drop = func(ctx context.Context) error {
		db, err := sql.Open("pgx", baseURL)
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		defer db.Close()
		_, err = db.ExecContext(ctx, `DROP SCHEMA `+schema+` CASCADE`)
		return wrap(err, "bench: drop schema "+schema)
	}
	return u.String(), drop, nil
}

// CheckFreshSQLite refuses a SQLite database file that already exists: the benchmark
// seeds an empty instance and must never write into someone's real one.
func CheckFreshSQLite(path string) error {
	_, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	return fmt.Errorf("bench: %s already exists; point --data-dir at an empty folder (or leave it unset for a temporary one)", path)
}
