package admin

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/mediacache"
	"github.com/tuskhq/tusk/internal/searchindex"
)

// reindexSearch rebuilds the full-text index of every post while the instance runs.
func reindexSearch(ctx context.Context, d OpsDeps, fs *flag.FlagSet, args []string) error {
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := noPositional(fs, args); err != nil {
		return err
	}
	total, err := d.Store.CountIndexable(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	bar := d.newBar(total, "reindexing")
	n, err := searchindex.Rebuild(ctx, d.Store, func(done int64) { _ = bar.Set64(done) })
	_ = bar.Finish()
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(d.Out, map[string]any{"statuses": n, "seconds": time.Since(start).Seconds()})
	}
	fmt.Fprintf(d.Out, "Reindexed %d posts in %s\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}

// clearCache deletes every cached copy of remote media; each is fetched again from its
// server when next shown.
func clearCache(ctx context.Context, d OpsDeps, fs *flag.FlagSet, args []string) error {
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := noPositional(fs, args); err != nil {
		return err
	}
	if d.Cache == nil {
		return fmt.Errorf("the remote media cache is not available")
	}
	// Unread since a minute from now: every entry, including one read this instant.
	files, bytes, err := d.Cache.EvictUnread(ctx, -time.Minute, mediacache.AllKinds)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(d.Out, map[string]int64{"files": int64(files), "bytes": bytes})
	}
	fmt.Fprintf(d.Out, "Removed %d cached files (%s); they are fetched again when requested.\n", files, size(bytes))
	return nil
}
