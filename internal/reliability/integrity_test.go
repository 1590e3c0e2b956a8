package reliability

import (
	"context"
	"testing"

	"github.com/tuskhq/tusk/internal/store"
)

// checkIntegrity checks the database is sound after the kills: the engine's own check
// (SQLite's integrity_check and foreign_key_check; PostgreSQL's amcheck over every
// B-tree index of the schema, where the extension can be created) and tusk's own
// invariants: counters written in the same transaction as the rows they count.
func checkIntegrity(t *testing.T, st *store.Store) {
	t.Helper()
	if st.Engine() == store.SQLite {
		checkSQLite(t, st)
	} else {
		checkPostgres(t, st)
	}
	checkCounters(t, st)
}

func checkSQLite(t *testing.T, st *store.Store) {
	t.Helper()
	var res string
	if err := st.DB().QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		t.Errorf("PRAGMA integrity_check = %q, %v", res, err)
	}
	rows, err := st.DB().Query(`PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if rows.Next() {
		t.Error("PRAGMA foreign_key_check found rows pointing at nothing")
	}
}

func checkPostgres(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	db := st.DB()
	if _, err := db.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS amcheck SCHEMA public`); err != nil {
		// Two tests creating it at once: one wins, the other sees a duplicate; look again.
		if _, err := db.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS amcheck SCHEMA public`); err != nil {
			t.Logf("amcheck is not available (%v); checking tusk's invariants only", err)
			return
		}
	}
	rows, err := db.QueryContext(ctx, `SELECT c.oid::regclass::text FROM pg_index i
		JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_am a ON a.oid = c.relam WHERE n.nspname = current_schema() AND a.amname = 'btree'`)
	if err != nil {
		t.Fatal(err)
	}
	var indexes []string
	for rows.Next() {
		var name string
		rows.Scan(&name)
		indexes = append(indexes, name)
	}
	rows.Close()
	for _, ix := range indexes {
		if _, err := db.ExecContext(ctx, `SELECT public.bt_index_check($1::regclass, true)`, ix); err != nil {
			t.Errorf("amcheck of index %s: %v", ix, err)
		}
	}
	t.Logf("amcheck: %d B-tree indexes verified (heapallindexed)", len(indexes))
}

// checkCounters compares each account's stored counts with the rows they count.
func checkCounters(t *testing.T, st *store.Store) {
	t.Helper()
	rows, err := st.DB().Query(`SELECT a.username, a.followers_count, a.following_count, a.statuses_count,
		(SELECT COUNT(*) FROM follows f WHERE f.target_account_id = a.id),
		(SELECT COUNT(*) FROM follows f WHERE f.account_id = a.id),
		(SELECT COUNT(*) FROM statuses s WHERE s.account_id = a.id AND s.visibility <> 'direct')
		FROM accounts a`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var followers, following, statuses, realFollowers, realFollowing, realStatuses int64
		if err := rows.Scan(&name, &followers, &following, &statuses, &realFollowers, &realFollowing, &realStatuses); err != nil {
			t.Fatal(err)
		}
		if followers != realFollowers || following != realFollowing || statuses != realStatuses {
			t.Errorf("%s counts followers/following/statuses %d/%d/%d; the rows say %d/%d/%d",
				name, followers, following, statuses, realFollowers, realFollowing, realStatuses)
		}
	}
}
