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

	"github.com/tuskhq/tusk/internal/delivery"
	"github.com/tuskhq/tusk/internal/store"
)

// FederationDeps is what the federation commands work with.
type FederationDeps struct {
	Delivery *delivery.Service
	Out      io.Writer
}

const federationUsage = `Usage: tusk admin federation COMMAND [flags]

Commands:
  hosts [--state unavailable|degraded|suspended|healthy] [--sort backlog|host] [--json]
        every remote host delivered to: state, queued deliveries, success rate, p50/p99, last error
  host HOST [--reset|--suspend-delivery|--resume-delivery] [--json]
        one host; --reset forgets its failures (breaker closed, unavailable mark cleared),
        --suspend-delivery stops delivering to it (deliveries wait), --resume-delivery resumes
`

// Federation runs one federation command; args follow "federation" on the command line.
func Federation(ctx context.Context, d FederationDeps, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(d.Out, federationUsage)
		if len(args) == 0 {
			return errors.New("federation: missing command (hosts or host)")
		}
		return nil
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	fs.SetOutput(d.Out)
	fs.Usage = func() { fmt.Fprint(d.Out, federationUsage); fs.PrintDefaults() }
	var err error
	switch args[0] {
	case "hosts":
		err = federationHosts(ctx, d, fs, args[1:])
	case "host":
		err = federationHost(ctx, d, fs, args[1:])
	default:
		return fmt.Errorf("federation: unknown command %q (want hosts or host)", args[0])
	}
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("federation %s: %w", args[0], err)
	}
	return nil
}

func federationHosts(ctx context.Context, d FederationDeps, fs *flag.FlagSet, args []string) error {
	state := fs.String("state", "", "only hosts in this state: "+strings.Join(delivery.States, ", "))
	sort := fs.String("sort", "backlog", "backlog (most queued first) or host")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if err := noPositional(fs, args); err != nil {
		return err
	}
	if *sort != "backlog" && *sort != "host" {
		return fmt.Errorf("--sort %q: want backlog or host", *sort)
	}
	list, err := d.Delivery.Hosts(ctx, delivery.Filter{State: *state, Sort: *sort})
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]delivery.HostJSON, 0, len(list))
		for _, h := range list {
			out = append(out, delivery.RenderHost(h))
		}
		return writeJSON(d.Out, out)
	}
	if len(list) == 0 {
		fmt.Fprintln(d.Out, "No hosts.")
		return nil
	}
	tw := tabwriter.NewWriter(d.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "HOST\tSTATE\tBREAKER\tQUEUED\tSUCCESS\tP50\tP99\tFAILING SINCE\tLAST ERROR")
	for _, h := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", h.Host, h.State, h.Breaker, h.Queued, rate(h),
			latency(h.P50), latency(h.P99), since(h.FailingSince), oneLine(h.LastError))
	}
	return tw.Flush()
}

func federationHost(ctx context.Context, d FederationDeps, fs *flag.FlagSet, args []string) error {
	reset := fs.Bool("reset", false, "forget the host's failures: breaker closed, unavailable mark cleared")
	suspend := fs.Bool("suspend-delivery", false, "stop delivering to the host; its deliveries wait")
	resume := fs.Bool("resume-delivery", false, "deliver to a suspended host again")
	asJSON := fs.Bool("json", false, "print JSON instead of text")
	name, err := positional(fs, args, "HOST")
	if err != nil {
		return err
	}
	if btoi(*reset)+btoi(*suspend)+btoi(*resume) > 1 {
		return errors.New("give at most one of --reset, --suspend-delivery and --resume-delivery")
	}
	switch {
	case *reset:
		err = d.Delivery.Reset(ctx, name)
	case *suspend:
		err = d.Delivery.SuspendDelivery(ctx, name)
	case *resume:
		err = d.Delivery.ResumeDelivery(ctx, name)
	}
	if err != nil {
		return explainHost(err, name)
	}
	h, err := d.Delivery.Host(ctx, name)
	if err != nil {
		return explainHost(err, name)
	}
	if *asJSON {
		return writeJSON(d.Out, delivery.RenderHost(h))
	}
	printHost(d.Out, h)
	return nil
}

func explainHost(err error, name string) error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("tusk has never delivered to %q", name)
	case errors.Is(err, delivery.ErrBadDelivery):
		return fmt.Errorf("%q is not a host name (give it as example.com or example.com:8443)", name)
	}
	return err
}

func printHost(w io.Writer, h delivery.HostInfo) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	row := func(k string, v any) { fmt.Fprintf(tw, "%s\t%v\n", k, v) }
	row("Host", h.Host)
	row("State", h.State)
	row("Breaker", h.Breaker)
	if h.Breaker != store.BreakerClosed {
		row("Next attempt", at(h.RetryAt))
	}
	row("Queued", h.Queued)
	row("Delivered / failed", fmt.Sprintf("%d / %d (success %s)", h.Successes, h.Failures, rate(h)))
	row("Gave up / skipped", fmt.Sprintf("%d / %d", h.GaveUp, h.Skipped))
	row("Latency p50 / p99", latency(h.P50)+" / "+latency(h.P99))
	row("Consecutive failures", h.ConsecutiveFailures)
	row("Failing since", since(h.FailingSince))
	row("Last success", at(h.LastSuccessAt))
	row("Last failure", at(h.LastFailureAt))
	row("Last error", oneLine(h.LastError))
	tw.Flush()
}

func rate(h delivery.HostInfo) string {
	if h.Successes+h.Failures == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*h.SuccessRate)
}

func latency(d time.Duration) string {
	if d == 0 {
		return "-"
	}
	return d.String()
}

// at writes a time in UTC, "-" for never.
func at(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.DateTime)
}

func since(t time.Time) string { return at(t) }
