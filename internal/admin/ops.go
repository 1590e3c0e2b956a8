package admin

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/schollz/progressbar/v3"

	"github.com/tuskhq/tusk/internal/accounts"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/mediacache"
	"github.com/tuskhq/tusk/internal/outbound"
	"github.com/tuskhq/tusk/internal/store"
)

// OpsDeps is what the maintenance groups (settings, ip-blocks, email-domain-blocks,
// domains, statuses, cache, search) work with.
type OpsDeps struct {
	Store  *store.Store
	Config config.Config
	Cache  *mediacache.Cache // cache clear
	Client *outbound.Client  // domains crawl
	// CrawlScheme is how peers are reached: "https", or "http" in tests.
	CrawlScheme string
	Out         io.Writer // results
	Err         io.Writer // progress bars; nil shows none
}

type opsCommand = groupCommand[OpsDeps]

func opsGroups() map[string]map[string]opsCommand {
	return map[string]map[string]opsCommand{
		"settings": {
			"registrations": {"registrations [open|approved|close] [--json]   show or set who may sign up", setRegistrations},
		},
		"ip-blocks": {
			"add":    {"add IP|CIDR... [--severity no_access|sign_up_block|sign_up_requires_approval] [--comment C] [--duration D]", addIPBlocks},
			"remove": {"remove IP|CIDR...", removeIPBlocks},
			"list":   {"list [--json]", listIPBlocks},
			"export": {"export [--format plain|nginx]   no_access blocks, for a firewall or nginx", exportIPBlocks},
		},
		"email-domain-blocks": {
			"add":    {"add DOMAIN...", addEmailDomainBlocks},
			"remove": {"remove DOMAIN...", removeEmailDomainBlocks},
			"list":   {"list [--json]", listEmailDomainBlocks},
		},
		"domains": {
			"purge": {"purge DOMAIN... [--dry-run] [--json]   delete every account and post of a remote domain", purgeDomains},
			"crawl": {"crawl [--concurrency N] [--json]   read the NodeInfo of every known peer", crawlDomains},
		},
		"statuses": {
			"remove": {"remove [--days N] [--dry-run] [--json]   delete old remote posts no local member uses", removeStatuses},
		},
		"cache": {
			"clear": {"clear [--json]   delete every cached copy of remote media", clearCache},
		},
		"search": {
			"reindex": {"reindex [--json]   rebuild the full-text index of every post", reindexSearch},
		},
	}
}

// IsOpsGroup reports whether group is one of the maintenance groups.
func IsOpsGroup(group string) bool { _, ok := opsGroups()[group]; return ok }

// OpsUsage lists the maintenance groups' commands for "tusk admin --help".
func OpsUsage() string {
	var b strings.Builder
	groups := opsGroups()
	for _, g := range sortedKeys(groups) {
		fmt.Fprintf(&b, "%s%s commands:\n", strings.ToUpper(g[:1]), g[1:])
		for _, n := range sortedKeys(groups[g]) {
			fmt.Fprintf(&b, "  %s\n", groups[g][n].synopsis)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Ops runs one command of a maintenance group; args are what follows the group name.
func Ops(ctx context.Context, d OpsDeps, group string, args []string) error {
	return dispatchGroup(ctx, d.Out, group, opsGroups()[group], d, args)
}

// groupCommand is one command of an admin group whose commands share deps of type D.
type groupCommand[D any] struct {
	synopsis string
	run      func(ctx context.Context, d D, fs *flag.FlagSet, args []string) error
}

// dispatchGroup runs the command args[0] of group with its flags, or prints the group's
// usage when asked for help or given no command.
func dispatchGroup[D any](ctx context.Context, out io.Writer, group string, cmds map[string]groupCommand[D], d D, args []string) error {
	names := sortedKeys(cmds)
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintf(out, "Usage: tusk admin %s COMMAND [flags]\n\nCommands:\n", group)
		for _, n := range names {
			fmt.Fprintln(out, "  "+cmds[n].synopsis)
		}
		if len(args) == 0 {
			return fmt.Errorf("%s: missing command", group)
		}
		return nil
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		return fmt.Errorf("%s: unknown command %q (want %s)", group, args[0], strings.Join(names, ", "))
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: tusk admin %s %s\n", group, cmd.synopsis)
		if hasFlags(fs) {
			fmt.Fprintln(out, "\nFlags:")
			fs.PrintDefaults()
		}
	}
	err := cmd.run(ctx, d, fs, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s %s: %w", group, args[0], err)
	}
	return nil
}

// positionals parses flags placed anywhere and returns the arguments that are not
// flags; at least one is required.
func positionals(fs *flag.FlagSet, args []string, what string) ([]string, error) {
	var out []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		out = append(out, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("missing %s", what)
	}
	return out, nil
}

// printJSON writes v indented, for --json.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// newBar shows progress on d.Err, or nothing when d.Err is nil or max is 0.
func (d OpsDeps) newBar(max int64, what string) *progressbar.ProgressBar {
	if d.Err == nil || max == 0 {
		return progressbar.DefaultSilent(max)
	}
	return progressbar.NewOptions64(max, progressbar.OptionSetWriter(d.Err), progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(), progressbar.OptionSetWidth(30), progressbar.OptionThrottle(100_000_000),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(d.Err) }))
}

// registrationsWords maps tootctl's words (and tusk's own) to the modes.
var registrationsWords = map[string]string{
	"open": config.RegistrationsOpen, "approved": config.RegistrationsApproval,
	"approval": config.RegistrationsApproval, "close": config.RegistrationsClosed, "closed": config.RegistrationsClosed,
}

// setRegistrations shows the sign-up mode, or stores a new one that overrides
// TUSK_REGISTRATIONS in every process from the next request on.
func setRegistrations(ctx context.Context, d OpsDeps, fs *flag.FlagSet, args []string) error {
	asJSON := fs.Bool("json", false, "print the mode in force as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch fs.NArg() {
	case 0:
		mode, err := accounts.RegistrationsMode(ctx, d.Store, d.Config.Registrations)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(d.Out, map[string]string{"registrations": mode, "configured": d.Config.Registrations})
		}
		fmt.Fprintf(d.Out, "Registrations: %s\n", mode)
		return nil
	case 1:
	default:
		return fmt.Errorf("unexpected argument %q", fs.Arg(1))
	}
	mode, ok := registrationsWords[strings.ToLower(fs.Arg(0))]
	if !ok {
		return fmt.Errorf("%q is not one of open, approved, close", fs.Arg(0))
	}
	if err := accounts.SetRegistrationsMode(ctx, d.Store, mode); err != nil {
		return err
	}
	fmt.Fprintf(d.Out, "OK: registrations %s (stored in the database; it overrides TUSK_REGISTRATIONS)\n", mode)
	return nil
}
