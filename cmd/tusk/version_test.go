package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/version"
)

func TestVersionNamesTheDatabaseSchema(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := env(map[string]string{"TUSK_DATA_DIR": dir})
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, &out, io.Discard, e); err != nil || !strings.Contains(out.String(), "none yet") {
		t.Fatalf("version before any database = %v\n%s", err, out.String())
	}
	if err := run(context.Background(), []string{"migrate"}, io.Discard, io.Discard, e); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"version"}, &out, io.Discard, e); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("sqlite schema %d (up to date)", store.BundledSchemaVersion(store.SQLite))
	if !strings.Contains(out.String(), want) || !strings.Contains(out.String(), version.Version) {
		t.Errorf("version = %q; want the release and %q", out.String(), want)
	}
}

// TestOlderBinaryRefusesToStart: a database migrated by a newer release stops serve and
// migrate with a message naming both schema versions.
func TestOlderBinaryRefusesToStart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := env(map[string]string{"TUSK_DATA_DIR": dir})
	if err := run(context.Background(), []string{"migrate"}, io.Discard, io.Discard, e); err != nil {
		t.Fatal(err)
	}
	ours := store.BundledSchemaVersion(store.SQLite)
	db, err := sql.Open("sqlite", filepath.Join(dir, "tusk.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, CURRENT_TIMESTAMP)`, ours+5); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, cmd := range []string{"serve", "migrate"} {
		err := run(context.Background(), []string{cmd, "--port", "0"}, io.Discard, io.Discard, e)
		if err == nil || !strings.Contains(err.Error(), fmt.Sprint(ours+5)) || !strings.Contains(err.Error(), fmt.Sprintf("schema %d", ours)) {
			t.Errorf("%s on a newer schema: err = %v; want a refusal naming %d and %d", cmd, err, ours+5, ours)
		}
	}
}
