package bench

import (
	"context"
	"database/sql"
	"flag"
	"io"
	"log/slog"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/server"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// tinySizes keep the whole pipeline quick while every account has a full home page.
func tinySizes() Sizes {
	return Sizes{Accounts: 40, Follows: 6, Statuses: 6000, Requests: 30, Posts: 20}
}

// TestPipeline seeds a tiny instance on each engine, checks what was written, and runs
// every benchmark on it (the idle-RSS step too, unless -short). No timing is asserted.
func TestPipeline(t *testing.T) {
	binary := buildTusk(t)
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			cfg := testConfig(t, engine)
			srv, err := server.Open(ctx, cfg, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			o := Options{Sizes: tinySizes(), Seed: 7, Progress: io.Discard}
			seeded, err := Seed(ctx, srv.Store, cfg.BaseURL(), o)
			if err != nil {
				t.Fatal(err)
			}
			checkCounts(t, srv.Store.DB(), o.Sizes)
			checkHome(t, srv.Store, seeded)
			checkStatusTimes(t, srv.Store.DB())
			if binary != "" {
				o.Serve = &ServeSpec{Binary: binary, Args: serveArgs(cfg)}
			}
			r, err := Measure(ctx, srv, seeded, o)
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, r, o)
		})
	}
}

// buildTusk builds the binary for the idle-RSS step; "" skips that step.
func buildTusk(t *testing.T) string {
	if testing.Short() {
		return ""
	}
	out := filepath.Join(t.TempDir(), "tusk")
	cmd := exec.Command("go", "build", "-o", out, "github.com/tuskhq/tusk/cmd/tusk")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, msg)
	}
	return out
}

func testConfig(t *testing.T, engine store.Engine) config.Config {
	env := map[string]string{"TUSK_DATA_DIR": t.TempDir()}
	if engine == store.Postgres {
		env["DATABASE_URL"] = storetest.PostgresURL(t)
	}
	cfg, err := config.Load(flag.NewFlagSet("test", flag.ContinueOnError), nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func serveArgs(cfg config.Config) []string {
	args := []string{"--data-dir", cfg.DataDir}
	if cfg.IsPostgres() {
		args = append(args, "--database-url", cfg.DatabaseURL)
	}
	return args
}

func count(t *testing.T, db *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func checkCounts(t *testing.T, db *sql.DB, s Sizes) {
	t.Helper()
	for query, want := range map[string]int{
		`SELECT COUNT(*) FROM accounts`:                                          s.Accounts,
		`SELECT COUNT(*) FROM users WHERE confirmed_at IS NOT NULL AND approved`: s.Accounts,
		`SELECT COUNT(*) FROM follows`:                                           s.Accounts * s.Follows,
		`SELECT COUNT(DISTINCT account_id || '-' || target_account_id) FROM follows WHERE account_id <> target_account_id`: s.Accounts * s.Follows,
		`SELECT COUNT(*) FROM statuses`: s.Statuses,
		`SELECT COUNT(*) FROM accounts a WHERE a.followers_count <> (SELECT COUNT(*) FROM follows f WHERE f.target_account_id = a.id)
			OR a.following_count <> (SELECT COUNT(*) FROM follows f WHERE f.account_id = a.id)
			OR a.statuses_count <> (SELECT COUNT(*) FROM statuses s WHERE s.account_id = a.id)`: 0,
	} {
		if got := count(t, db, query); got != want {
			t.Errorf("%s = %d; want %d", query, got, want)
		}
	}
}

// checkHome: each account's first home page is the newest 20 statuses of its own and
// its followees' (seeded statuses are plain posts, so no home rule filters any), found
// here by a query independent of the store's merge.
func checkHome(t *testing.T, st *store.Store, seeded *Seeded) {
	t.Helper()
	for _, a := range seeded.plan.accounts {
		page, err := st.HomeTimeline(context.Background(), a.ID, store.Page{Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, s := range page {
			got = append(got, s.ID)
		}
		want := ids(t, st.DB(), `SELECT s.id FROM statuses s WHERE s.account_id = $1
			OR s.account_id IN (SELECT f.target_account_id FROM follows f WHERE f.account_id = $1)
			ORDER BY s.id DESC LIMIT 20`, a.ID)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("home of %s (-want +got):\n%s", a.Username, diff)
		}
	}
}

// checkStatusTimes: ids encode creation times, all within the seeded span.
func checkStatusTimes(t *testing.T, db *sql.DB) {
	t.Helper()
	rows, err := db.Query(`SELECT id, created_at FROM statuses ORDER BY id LIMIT 50`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	oldest := time.Now().Add(-seedSpan - time.Minute)
	for rows.Next() {
		var sid int64
		var created time.Time
		if err := rows.Scan(&sid, &created); err != nil {
			t.Fatal(err)
		}
		if !created.Equal(id.Time(sid)) || created.Before(oldest) {
			t.Errorf("status %d created at %v; want %v, after %v", sid, created, id.Time(sid), oldest)
		}
	}
}

func ids(t *testing.T, db *sql.DB, query string, args ...any) []int64 {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

func checkResult(t *testing.T, r *Result, o Options) {
	t.Helper()
	if r.Home.Requests != o.Requests || r.Public.Requests != o.Requests {
		t.Errorf("requests: home %d, public %d; want %d each", r.Home.Requests, r.Public.Requests, o.Requests)
	}
	if r.Posting.Statuses+r.Posting.Failed != o.Posts {
		t.Errorf("posts: %d made + %d failed; want %d", r.Posting.Statuses, r.Posting.Failed, o.Posts)
	}
	if r.Posting.Failed > 0 {
		t.Logf("%d posts failed under concurrency: %s", r.Posting.Failed, r.Posting.FirstError)
	}
	if o.Serve != nil && r.IdleRSSMB <= 0 {
		t.Errorf("idle RSS = %v MB; want a reading", r.IdleRSSMB)
	}
}

func TestPercentile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	tests := []struct {
		in   []time.Duration
		p    int
		want time.Duration
	}{
		{ms(7), 50, 7 * time.Millisecond},
		{ms(7), 99, 7 * time.Millisecond},
		{ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{ms(1, 2, 3, 4), 99, 4 * time.Millisecond},
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 90, 9 * time.Millisecond},
	}
	for _, tt := range tests {
		if got := percentile(tt.in, tt.p); got != tt.want {
			t.Errorf("percentile(%v, %d) = %v; want %v", tt.in, tt.p, got, tt.want)
		}
	}
}
