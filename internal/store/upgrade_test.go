package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
	"github.com/tuskhq/tusk/internal/version"
)

// openEmpty opens a store on a fresh, unmigrated database of the engine.
func openEmpty(t *testing.T, engine store.Engine) *store.Store {
	t.Helper()
	dbURL := ""
	if engine == store.Postgres {
		dbURL = storetest.PostgresURL(t)
	}
	s, err := store.Open(context.Background(), dbURL, filepath.Join(t.TempDir(), "tusk.db"), store.Options{})
	if err != nil {
		t.Fatalf("open %s: %v", engine, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestUpgradeKeepsData leaves a database as each earlier schema version had it, with an
// account and a status written in that version's tables by plain SQL, then applies the
// rest of the migrations as an upgrade does: the rows must survive and read back.
func TestUpgradeKeepsData(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		versions := store.MigrationVersions(engine)
		for _, from := range versions[:len(versions)-1] {
			t.Run(string(engine)+"/from_"+itoa(from), func(t *testing.T) {
				t.Parallel()
				checkUpgradeFrom(t, engine, from)
			})
		}
	}
}

func checkUpgradeFrom(t *testing.T, engine store.Engine, from int) {
	ctx := context.Background()
	s := openEmpty(t, engine)
	if _, err := s.MigrateTo(ctx, from); err != nil {
		t.Fatalf("migrate to %d: %v", from, err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	db := s.DB()
	if _, err := db.ExecContext(ctx, `INSERT INTO accounts (id, username, created_at, updated_at) VALUES (1001, 'old_timer', $1, $1)`, now); err != nil {
		t.Fatalf("insert an account at schema %d: %v", from, err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO statuses (id, uri, account_id, text, content, visibility, local, created_at)
		VALUES (2002, 'https://example.test/s/2002', 1001, 'from before', '<p>from before</p>', 'public', TRUE, $1)`, now); err != nil {
		t.Fatalf("insert a status at schema %d: %v", from, err)
	}
	applied, err := s.Migrate(ctx)
	if err != nil || applied == 0 {
		t.Fatalf("upgrade from %d: applied %d, %v", from, applied, err)
	}
	if v, err := s.AppliedVersion(ctx); err != nil || v != s.SchemaVersion() {
		t.Fatalf("after the upgrade the schema is %d, %v; want %d", v, err, s.SchemaVersion())
	}
	a, err := s.AccountByHandle(ctx, "old_timer", "")
	if err != nil || a.ID != 1001 {
		t.Fatalf("account after the upgrade = %+v, %v", a, err)
	}
	st, err := s.Writer().StatusByID(ctx, 2002)
	if err != nil || st.Text != "from before" || st.AccountID != 1001 {
		t.Fatalf("status after the upgrade = %+v, %v", st, err)
	}
}

func TestMigrateFromEmpty(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			s := openEmpty(t, engine)
			applied, err := s.Migrate(context.Background())
			if err != nil || applied != len(store.MigrationVersions(engine)) {
				t.Fatalf("Migrate() on an empty database = %d, %v; want every migration", applied, err)
			}
		})
	}
}

// TestOlderBinaryRefusesNewerSchema: a database migrated by a newer tusk (a migration
// this binary does not carry) makes Migrate refuse, naming both versions and the way out.
func TestOlderBinaryRefusesNewerSchema(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		newer := s.SchemaVersion() + 1
		if _, err := s.DB().ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ($1, CURRENT_TIMESTAMP)`, newer); err != nil {
			t.Fatal(err)
		}
		_, err := s.Migrate(ctx)
		var tooNew *store.SchemaTooNewError
		if !errors.As(err, &tooNew) || tooNew.Database != newer || tooNew.Binary != s.SchemaVersion() {
			t.Fatalf("Migrate() on a newer schema: err = %v; want a SchemaTooNewError", err)
		}
		for _, want := range []string{itoa(newer), itoa(s.SchemaVersion()), version.Version, "newer release", "docs/upgrading.md"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not mention %q", err, want)
			}
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }
