package server_test

import (
	"context"
	"sync"
	"testing"

	"github.com/tuskhq/tusk/internal/server"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// TestProcessesMigrateTogether: several processes started at once on an empty
// PostgreSQL database (an upgrade of a scaled-out instance) all start; the migrations
// are applied exactly once between them.
func TestProcessesMigrateTogether(t *testing.T) {
	t.Parallel()
	url := storetest.PostgresURL(t)
	const processes = 4
	var wg sync.WaitGroup
	applied := make([]int, processes)
	errs := make([]error, processes)
	for i := range processes {
		st, err := store.Open(context.Background(), url, "", store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		wg.Go(func() { applied[i], _, errs[i] = server.MigrateAll(context.Background(), st) })
	}
	wg.Wait()
	total := 0
	for i := range processes {
		if errs[i] != nil {
			t.Errorf("process %d: %v", i, errs[i])
		}
		total += applied[i]
	}
	if want := store.BundledSchemaVersion(store.Postgres); total == 0 || total > want {
		t.Errorf("the processes applied %v migrations in all; want each migration once", applied)
	}
}
