package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/store"
)

// Seeded is what Seed wrote, kept for the benchmarks that follow.
type Seeded struct {
	Took       time.Duration // generating and writing everything
	FollowRows int
	plan       *plan
}

// Seed fills st's empty, migrated database with o.Sizes' instance: accounts with
// confirmed users, follows, statuses and the home feeds fan-out on write would have
// left, every counter exact. Rows are bulk-loaded, bypassing the store's per-row
// writes; seeded statuses are left out of the full-text index (FTS5 on SQLite,
// search_vector on PostgreSQL), which no benchmark here reads.
func Seed(ctx context.Context, st *store.Store, baseURL string, o Options) (*Seeded, error) {
	if err := o.validate(); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	start := time.Now()
	p := newPlan(st.IDs(), baseURL, o.Sizes, o.Seed, time.Now().UTC())
	o.logf("generated %d accounts, %d follows, %d statuses in memory (%s)",
		len(p.accounts), len(p.followIDs), len(p.statusIDs), since(start))
	l, err := newLoader(ctx, st)
	if err != nil {
		return nil, err
	}
	defer l.close()
	for _, t := range p.tables() {
		if err := loadTable(ctx, l, t, o); err != nil {
			return nil, err
		}
	}
	if err := l.finish(ctx); err != nil {
		return nil, err
	}
	took := time.Since(start)
	o.logf("seeded in %s", took.Round(10*time.Millisecond))
	return &Seeded{Took: took, FollowRows: len(p.followIDs), plan: p}, nil
}

// loadTable writes one table, reporting progress every million rows.
func loadTable(ctx context.Context, l loader, t table, o Options) error {
	start := time.Now()
	done := 0
	next := t.next
	t.next = func() []any {
		row := next()
		if done++; row != nil && done%1000000 == 0 {
			o.logf("  %s: %d/%d rows (%s)", t.name, done, t.rows, since(start))
		}
		return row
	}
	if err := l.load(ctx, t); err != nil {
		return fmt.Errorf("bench: seed %s: %w", t.name, err)
	}
	o.logf("seeded %s: %d rows (%s)", t.name, t.rows, since(start))
	return nil
}

// loader bulk-writes tables on one engine.
type loader interface {
	load(ctx context.Context, t table) error
	finish(ctx context.Context) error // after the last table: restore settings, gather statistics
	close() error
}

func newLoader(ctx context.Context, st *store.Store) (loader, error) {
	conn, err := st.DB().Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("bench: seed connection: %w", err)
	}
	if st.Engine() == store.Postgres {
		return &pgLoader{conn: conn}, nil
	}
	return newSQLiteLoader(ctx, conn)
}
