package admin

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
)

// kindsHelp lists the kinds for flag help.
func kindsHelp(d Deps) string {
	if d.Portability == nil {
		return "following, followers, bookmarks, blocks, mutes, domain_blocks or lists"
	}
	return strings.Join(d.Portability.Kinds(), ", ")
}

// exportData writes a member's data as Mastodon's CSV, to --out or standard output.
func exportData(ctx context.Context, d Deps, fs *flag.FlagSet, args []string) error {
	kind := fs.String("kind", "", "what to export: "+kindsHelp(d)+" (required)")
	out := fs.String("out", "", "file to write; standard output when empty")
	username, err := parseArgs(fs, args, true)
	if err != nil {
		return err
	}
	if *kind == "" {
		return errors.New("--kind is required")
	}
	a, _, err := lookup(ctx, d, username)
	if err != nil {
		return err
	}
	if *out == "" {
		return d.Portability.Export(ctx, a, *kind, d.Out)
	}
	f, err := os.OpenFile(*out, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := d.Portability.Export(ctx, a, *kind, f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// importData applies a Mastodon CSV to a member: merged in, or replacing with --overwrite.
func importData(ctx context.Context, d Deps, fs *flag.FlagSet, args []string) error {
	kind := fs.String("kind", "", "what the file holds: "+kindsHelp(d)+" (required)")
	file := fs.String("file", "", "the CSV file to import (required)")
	overwrite := fs.Bool("overwrite", false, "make the member's data equal to the file, removing what it does not list")
	username, err := parseArgs(fs, args, true)
	if err != nil {
		return err
	}
	if *kind == "" || *file == "" {
		return errors.New("--kind and --file are required")
	}
	a, _, err := lookup(ctx, d, username)
	if err != nil {
		return err
	}
	f, err := os.Open(*file)
	if err != nil {
		return err
	}
	defer f.Close()
	res, err := d.Portability.Import(ctx, a, *kind, f, *overwrite)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.Out, "Imported: %d\nPending (remote, not known here yet; kept until federation can resolve them): %d\nSkipped: %d\n",
		res.Imported, res.Pending, res.Skipped)
	if *overwrite {
		fmt.Fprintf(d.Out, "Removed: %d\n", res.Removed)
	}
	for _, p := range res.Problems {
		fmt.Fprintln(d.Out, "  "+p)
	}
	return nil
}
