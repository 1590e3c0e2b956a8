package admin

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tuskhq/tusk/internal/blob"
	"github.com/tuskhq/tusk/internal/mediacache"
)

// MediaDeps is what the media commands work with.
type MediaDeps struct {
	Storage  *blob.Switch // the running instance's switch: its backends and state
	SetState func(ctx context.Context, s blob.State) error
	Cache    *mediacache.Cache
	Owners   map[string]blob.Owner // per key prefix, for remove-orphans
	Settle   time.Duration         // how long servers take to notice a new active backend
	Out, Err io.Writer             // results; progress lines
}

const mediaUsage = `Usage: tusk admin media COMMAND [flags]

Commands:
  migrate --to s3|local [--dry-run]   move every object to the other backend while the instance runs
  usage                               objects and bytes by category and backend
  remove [--days N] [--prune-profiles] evict cached remote media unread for N days
  remove-orphans [--dry-run]          delete objects no database row refers to
`

// Media runs one media command.
func Media(ctx context.Context, d MediaDeps, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(d.Out, mediaUsage)
		if len(args) == 0 {
			return errors.New("media: missing command")
		}
		return nil
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	fs.SetOutput(d.Out)
	switch args[0] {
	case "migrate":
		return migrateMedia(ctx, d, fs, args[1:])
	case "usage":
		return mediaUsageReport(ctx, d)
	case "remove":
		return removeCachedMedia(ctx, d, fs, args[1:])
	case "remove-orphans":
		return removeOrphans(ctx, d, fs, args[1:])
	}
	return fmt.Errorf("media: unknown command %q (want migrate, usage, remove, remove-orphans)", args[0])
}

func migrateMedia(ctx context.Context, d MediaDeps, fs *flag.FlagSet, args []string) error {
	to := fs.String("to", "", "the backend to move to: s3 or local")
	dry := fs.Bool("dry-run", false, "count the objects and bytes to move; change nothing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if d.Storage.Backends[*to] == nil {
		return fmt.Errorf("media migrate: --to %q is not a configured backend (s3 needs S3_BUCKET, S3_ENDPOINT or S3_REGION and the keys)", *to)
	}
	if err := d.Storage.Refresh(ctx); err != nil {
		return err
	}
	from := d.Storage.State().Backend
	if from == *to {
		from = d.Storage.State().Fallback // resuming an interrupted move
	}
	if from == "" {
		fmt.Fprintf(d.Out, "Media already lives on %s.\n", *to)
		return nil
	}
	if *dry {
		return reportMove(ctx, d, from, *to)
	}
	m := &blob.Move{Backends: d.Storage.Backends, SetState: d.SetState, Settle: d.Settle, Progress: progressLine(d.Err)}
	if err := m.Run(ctx, from, *to); err != nil {
		return fmt.Errorf("media migrate: %w (run the command again to resume; URLs keep working meanwhile)", err)
	}
	fmt.Fprintf(d.Err, "\n")
	fmt.Fprintf(d.Out, "Media moved from %s to %s. The copies on %s are no longer read; delete them when you like.\n", from, *to, from)
	return nil
}

func reportMove(ctx context.Context, d MediaDeps, from, to string) error {
	objs, err := blob.Inventory(ctx, d.Storage.Backends[from], []string{""})
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(d.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "Would move from %s to %s:\n", from, to)
	writeUsage(w, blob.UsageOf(objs))
	return w.Flush()
}

// progressLine rewrites one stderr line: objects, bytes, rate and time left.
func progressLine(w io.Writer) func(blob.Progress) {
	var last time.Time
	return func(p blob.Progress) {
		if time.Since(last) < 200*time.Millisecond && p.Objects < p.TotalObjects {
			return
		}
		last = time.Now()
		rate := float64(p.Bytes) / max(time.Since(p.Started).Seconds(), 0.001)
		fmt.Fprintf(w, "\r%d/%d objects (%d already there), %s/%s, %s/s, ETA %s   ", p.Objects, p.TotalObjects,
			p.Skipped, size(p.Bytes), size(p.TotalBytes), size(int64(rate)), p.ETA())
	}
}

func mediaUsageReport(ctx context.Context, d MediaDeps) error {
	w := tabwriter.NewWriter(d.Out, 0, 4, 2, ' ', 0)
	st := d.Storage.State()
	fmt.Fprintf(w, "Active backend: %s", st.Backend)
	if st.Fallback != "" {
		fmt.Fprintf(w, " (moving from %s)", st.Fallback)
	}
	fmt.Fprintln(w)
	names := make([]string, 0, len(d.Storage.Backends))
	for n := range d.Storage.Backends {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		objs, err := blob.Inventory(ctx, d.Storage.Backends[n], []string{""})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\n%s:\n", n)
		writeUsage(w, blob.UsageOf(objs))
	}
	if d.Cache != nil {
		bytes, files, err := d.Cache.Store.CachedMediaTotal(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\nRemote media cache: %d files, %s of %s allowed\n", files, size(bytes), size(d.Cache.MaxBytes))
	}
	return w.Flush()
}

func writeUsage(w io.Writer, u map[string]blob.Usage) {
	fmt.Fprintln(w, "CATEGORY\tOBJECTS\tBYTES")
	var total blob.Usage
	for _, c := range append(blob.Categories, struct{ Prefix, Name string }{"", "other"}) {
		if got, ok := u[c.Name]; ok || c.Name != "other" {
			fmt.Fprintf(w, "%s\t%d\t%s\n", c.Name, got.Objects, size(got.Bytes))
			total.Objects += got.Objects
			total.Bytes += got.Bytes
		}
	}
	fmt.Fprintf(w, "total\t%d\t%s\n", total.Objects, size(total.Bytes))
}

func removeCachedMedia(ctx context.Context, d MediaDeps, fs *flag.FlagSet, args []string) error {
	days := fs.Int("days", int(d.Cache.MaxAge/(24*time.Hour)), "evict cached remote media unread for this many days")
	profiles := fs.Bool("prune-profiles", false, "also evict remote avatars and headers")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *days < 0 {
		return fmt.Errorf("media remove: --days must not be negative")
	}
	kinds := []string{mediacache.Attachment, mediacache.Emoji}
	if *profiles {
		kinds = append(kinds, mediacache.Avatar, mediacache.Header)
	}
	files, bytes, err := d.Cache.EvictUnread(ctx, time.Duration(*days)*24*time.Hour, kinds)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.Out, "Removed %d cached files (%s) of %s; they are fetched again if requested.\n", files, size(bytes), strings.Join(kinds, ", "))
	return nil
}

// orphanGrace leaves alone objects younger than this: their row may not be written yet.
const orphanGrace = 24 * time.Hour

func removeOrphans(ctx context.Context, d MediaDeps, fs *flag.FlagSet, args []string) error {
	dry := fs.Bool("dry-run", false, "list the orphans; delete nothing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var n int
	var bytes int64
	unchecked, err := blob.Orphans(ctx, d.Storage, d.Owners, orphanGrace, func(i blob.Info) error {
		n++
		bytes += i.Size
		if *dry {
			fmt.Fprintln(d.Out, i.Key)
			return nil
		}
		return d.Storage.Delete(ctx, i.Key)
	})
	if err != nil {
		return err
	}
	verb := "Removed"
	if *dry {
		verb = "Would remove"
	}
	fmt.Fprintf(d.Out, "%s %d orphaned objects (%s).\n", verb, n, size(bytes))
	if len(unchecked) > 0 {
		fmt.Fprintf(d.Out, "Not checked (no table known for them yet): %s\n", strings.Join(unchecked, ", "))
	}
	return nil
}

func size(b int64) string {
	const unit = 1000
	if b < unit {
		return fmt.Sprintf("%d B", b)
	}
	div, exp := int64(unit), 0
	for n := b / unit; n >= unit; n /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(b)/float64(div), "kMGTPE"[exp])
}
