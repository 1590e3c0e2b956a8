package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// TestLostDatabaseConnectionsLoseNoJob kills every PostgreSQL connection of a working
// service in the middle of a run: jobs may fail and run again, but every one runs and
// none ends in the dead set.
func TestLostDatabaseConnectionsLoseNoJob(t *testing.T) {
	if os.Getenv(storetest.EnvPostgres) == "" {
		t.Skipf("needs PostgreSQL: set %s", storetest.EnvPostgres)
	}
	db := newDatabase(t, store.Postgres)
	app := fmt.Sprintf("tusk_connloss_%d", time.Now().UnixNano())
	u, err := url.Parse(db.url)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("application_name", app) // so the test kills only this service's connections
	u.RawQuery = q.Encode()
	db.url = u.String()
	st := db.open(t, 0)
	rec := &recorder{}
	cfg := testConfig(t, map[string]string{"TUSK_JOB_TIMEOUT": "5s", "TUSK_JOB_RESCUE_AFTER": "6s"})
	s := newService(t, st, cfg, testRegistry(rec))
	const n = 3000
	for i := 0; i < n; i++ {
		insert(t, s, echoArgs{Key: fmt.Sprint(i)}, nil)
	}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		s.Stop(ctx)
	})
	waitFor(t, "a first part of the jobs to run", func() bool { return rec.count("50") > 0 })
	killConnections(t, app)
	ran := 0
	for i := 0; i < n; i++ {
		if rec.count(fmt.Sprint(i)) > 0 {
			ran++
		}
	}
	if ran == n {
		t.Fatalf("all %d jobs ran before the connections were killed; the test proves nothing", n)
	}
	t.Logf("%d of %d jobs had run when the connections died", ran, n)
	waitFor(t, "every job to run", func() bool {
		for i := 0; i < n; i++ {
			if rec.count(fmt.Sprint(i)) == 0 {
				return false
			}
		}
		return true
	})
	waitFor(t, "every job to be completed", func() bool {
		stats, err := s.Stats(context.Background())
		if err != nil {
			return false // the pool is reconnecting
		}
		for _, qs := range stats {
			if qs.Dead != 0 {
				t.Fatalf("queue %s has %d dead jobs after lost connections", qs.Name, qs.Dead)
			}
			if qs.Waiting+qs.Running+qs.Retrying+qs.Scheduled != 0 {
				return false
			}
		}
		return true
	})
}

// killConnections terminates every backend whose application_name is app.
func killConnections(t *testing.T, app string) {
	t.Helper()
	admin, err := sql.Open("pgx", os.Getenv(storetest.EnvPostgres))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var killed int
	err = admin.QueryRow(`SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1) k`, app).Scan(&killed)
	if err != nil || killed == 0 {
		t.Fatalf("killed %d connections, %v; want some", killed, err)
	}
	t.Logf("killed %d connections", killed)
}
