package admin

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/store"
)

// purgeBatch is how many rows one transaction of a bulk removal deletes, so a long run
// never holds SQLite's writer for long.
const purgeBatch = 100

// removeStatuses deletes remote posts older than --days that no local member uses
// (see store.UnusedRemoteStatuses). Run again, it finds nothing new to remove.
func removeStatuses(ctx context.Context, d OpsDeps, fs *flag.FlagSet, args []string) error {
	days := fs.Int("days", 90, "remove remote posts older than this many days")
	dry := fs.Bool("dry-run", false, "count what would be removed; delete nothing")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := noPositional(fs, args); err != nil {
		return err
	}
	if *days < 1 {
		return errors.New("--days must be at least 1")
	}
	cutoff := time.Now().Add(-time.Duration(*days) * 24 * time.Hour)
	total, err := d.Store.CountUnusedRemoteStatuses(ctx, cutoff)
	if err != nil {
		return err
	}
	removed := int64(0)
	if !*dry {
		bar := d.newBar(total, "removing posts")
		removed, err = removeUnused(ctx, d.Store, cutoff, func(n int64) { _ = bar.Set64(n) })
		_ = bar.Finish()
		if err != nil {
			return err
		}
	}
	if *asJSON {
		return printJSON(d.Out, map[string]any{"found": total, "removed": removed, "dry_run": *dry})
	}
	if *dry {
		fmt.Fprintf(d.Out, "%d remote posts older than %d days would be removed\n", total, *days)
		return nil
	}
	fmt.Fprintf(d.Out, "Removed %d remote posts older than %d days\n", removed, *days)
	return nil
}

func removeUnused(ctx context.Context, st *store.Store, cutoff time.Time, progress func(int64)) (int64, error) {
	var removed int64
	for {
		ids, err := st.UnusedRemoteStatuses(ctx, cutoff, purgeBatch)
		if err != nil || len(ids) == 0 {
			return removed, err
		}
		if err := st.Tx(ctx, func(q store.Q) error { return q.DeleteRemoteStatuses(ctx, ids) }); err != nil {
			return removed, err
		}
		removed += int64(len(ids))
		progress(removed)
	}
}
