package admin

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
)

// exportEmoji writes the local emoji as a .tar.gz that "emoji import" reads back.
func exportEmoji(ctx context.Context, d InstanceDeps, fs *flag.FlagSet, args []string) error {
	path, err := positional(fs, args, "FILE.tar.gz")
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("create %s (an existing file is never overwritten): %w", path, err)
	}
	n, err := d.Emoji.Export(ctx, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path) // half an archive is worse than none
		return err
	}
	fmt.Fprintf(d.Out, "Exported %d emoji to %s\n", n, path)
	return nil
}

// purgeEmoji deletes every custom emoji, or with --remote-only those of other servers.
func purgeEmoji(ctx context.Context, d InstanceDeps, fs *flag.FlagSet, args []string) error {
	remoteOnly := fs.Bool("remote-only", false, "delete only emoji of other servers, keeping this instance's own")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := noPositional(fs, args); err != nil {
		return err
	}
	if d.Emoji == nil {
		return errors.New("emoji storage is not available")
	}
	local, remote, err := d.Emoji.Purge(ctx, *remoteOnly)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(d.Out, map[string]int64{"local": local, "remote": remote})
	}
	fmt.Fprintf(d.Out, "Deleted %d local and %d remote emoji\n", local, remote)
	return nil
}
