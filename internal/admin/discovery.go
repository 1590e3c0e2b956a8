package admin

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

// DiscoveryDeps is what the trends and announcements commands work with.
type DiscoveryDeps struct {
	Social *social.Service
	Out    io.Writer
}

// subcommand is one command of a group that needs no more than DiscoveryDeps.
type subcommand struct {
	synopsis string
	run      func(ctx context.Context, d DiscoveryDeps, fs *flag.FlagSet, args []string) error
}

// runGroup dispatches args to one of cmds (listed in order for help).
func runGroup(ctx context.Context, d DiscoveryDeps, group string, order []string, cmds map[string]subcommand, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintf(d.Out, "Usage: tusk admin %s COMMAND [flags]\n\nCommands:\n", group)
		for _, n := range order {
			fmt.Fprintln(d.Out, "  "+cmds[n].synopsis)
		}
		if len(args) == 0 {
			return fmt.Errorf("%s: missing command", group)
		}
		return nil
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		return fmt.Errorf("%s: unknown command %q (want %s)", group, args[0], strings.Join(order, ", "))
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	fs.SetOutput(d.Out)
	fs.Usage = func() { fmt.Fprintf(d.Out, "Usage: tusk admin %s %s\n", group, cmd.synopsis); fs.PrintDefaults() }
	err := cmd.run(ctx, d, fs, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if errors.Is(err, social.ErrNotFound) {
		err = errors.New("no such tag, status or announcement")
	}
	if err != nil {
		return fmt.Errorf("%s %s: %w", group, args[0], err)
	}
	return nil
}

// Trends runs one trends command: list the scored tags and statuses, allow or disallow one.
func Trends(ctx context.Context, d DiscoveryDeps, args []string) error {
	return runGroup(ctx, d, "trends", []string{"list", "allow", "disallow"}, map[string]subcommand{
		"list":     {"list [tags|statuses]          scored tags and statuses with their review", trendsList},
		"allow":    {"allow tag NAME | status ID    let it trend (needed when TUSK_TRENDS_REVIEW is on)", trendsReview(true)},
		"disallow": {"disallow tag NAME | status ID keep it out of trends", trendsReview(false)},
	}, args)
}

func trendsList(ctx context.Context, d DiscoveryDeps, fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	kinds := []string{model.TrendTag, model.TrendStatus}
	if fs.NArg() > 0 {
		kind, err := trendKind(fs.Arg(0))
		if err != nil {
			return err
		}
		kinds = []string{kind}
	}
	tw := tabwriter.NewWriter(d.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tID\tNAME\tSCORE\tREVIEW")
	for _, kind := range kinds {
		list, err := d.Social.Trends(ctx, kind)
		if err != nil {
			return err
		}
		for _, t := range list {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%.3f\t%s\n", t.Kind, id.Format(t.TargetID), t.Label, t.Score, reviewWord(t.Allowed))
		}
	}
	return tw.Flush()
}

func reviewWord(allowed *bool) string {
	switch {
	case allowed == nil:
		return "pending"
	case *allowed:
		return "allowed"
	}
	return "disallowed"
}

// trendKind reads "tag(s)" or "status(es)".
func trendKind(s string) (string, error) {
	switch s {
	case "tag", "tags":
		return model.TrendTag, nil
	case "status", "statuses":
		return model.TrendStatus, nil
	}
	return "", fmt.Errorf("%q is neither tag nor status", s)
}

func trendsReview(allowed bool) func(ctx context.Context, d DiscoveryDeps, fs *flag.FlagSet, args []string) error {
	return func(ctx context.Context, d DiscoveryDeps, fs *flag.FlagSet, args []string) error {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() != 2 {
			return errors.New("want: tag NAME or status ID")
		}
		kind, err := trendKind(fs.Arg(0))
		if err != nil {
			return err
		}
		if err := d.Social.ReviewTrend(ctx, kind, fs.Arg(1), allowed); err != nil {
			return err
		}
		fmt.Fprintln(d.Out, "OK")
		return nil
	}
}

// Announcements runs one announcements command: create, list or delete.
func Announcements(ctx context.Context, d DiscoveryDeps, args []string) error {
	return runGroup(ctx, d, "announcements", []string{"create", "list", "delete"}, map[string]subcommand{
		"create": {"create TEXT [--starts-at T] [--ends-at T] [--all-day]   publish an announcement to every member", announcementCreate},
		"list":   {"list                                                   every announcement, newest first", announcementList},
		"delete": {"delete ID                                              remove an announcement", announcementDelete},
	}, args)
}

// parseWhen reads an RFC 3339 time or a YYYY-MM-DD date (midnight UTC); "" is no time.
func parseWhen(s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	for _, layout := range []string{time.RFC3339, time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return &t, nil
		}
	}
	return nil, fmt.Errorf("%q is neither a time like 2026-01-02T15:04:05Z nor a date like 2026-01-02", s)
}

func announcementCreate(ctx context.Context, d DiscoveryDeps, fs *flag.FlagSet, args []string) error {
	startsAt := fs.String("starts-at", "", "when it starts showing (RFC 3339 time or date); default now")
	endsAt := fs.String("ends-at", "", "when it stops showing; default never")
	allDay := fs.Bool("all-day", false, "the start and end are dates, not times")
	textArg, err := parseArgs(fs, args, true)
	if err != nil {
		return errors.New("missing TEXT (quote it)")
	}
	n := social.NewAnnouncement{Text: textArg, AllDay: *allDay}
	if n.StartsAt, err = parseWhen(*startsAt); err != nil {
		return err
	}
	if n.EndsAt, err = parseWhen(*endsAt); err != nil {
		return err
	}
	a, err := d.Social.CreateAnnouncement(ctx, n)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.Out, "OK: announcement %s\n", id.Format(a.ID))
	return nil
}

func announcementList(ctx context.Context, d DiscoveryDeps, fs *flag.FlagSet, args []string) error {
	if _, err := parseArgs(fs, args, false); err != nil {
		return err
	}
	list, err := d.Social.AllAnnouncements(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(d.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTARTS\tENDS\tALL DAY\tTEXT")
	for _, a := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", id.Format(a.ID), when(a.StartsAt), when(a.EndsAt), yesNo(a.AllDay), firstLine(a.Text))
	}
	return tw.Flush()
}

func when(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format(time.DateTime)
}

// firstLine shortens an announcement's text to one table cell.
func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if r := []rune(s); len(r) > 60 {
		return string(r[:59]) + "…"
	}
	return s
}

func announcementDelete(ctx context.Context, d DiscoveryDeps, fs *flag.FlagSet, args []string) error {
	raw, err := parseArgs(fs, args, true)
	if err != nil {
		return errors.New("missing ID")
	}
	n, ok := id.Parse(raw)
	if !ok {
		return fmt.Errorf("%q is not an announcement id", raw)
	}
	if err := d.Social.DeleteAnnouncement(ctx, n); err != nil {
		return err
	}
	fmt.Fprintln(d.Out, "OK")
	return nil
}
