// Package admin is tusk's operator command line for local accounts, modelled on
// Mastodon's tootctl: create, list, modify, approve and delete.
package admin

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/tuskhq/tusk/internal/accounts"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/portability"
	"github.com/tuskhq/tusk/internal/store"
)

// Deps is what the commands work with.
type Deps struct {
	Store    *store.Store
	Config   config.Config
	Accounts *accounts.Service
	// Portability serves export and import.
	Portability *portability.Service
	// Refresher fetches remote actors again (accounts refresh); nil without federation.
	Refresher ActorRefresher
	// Mover declares aliases, moves accounts and announces rotated keys; nil without federation.
	Mover    AccountMover
	Out      io.Writer
	Progress io.Writer // progress bars of long commands; nil shows none
}

type command struct {
	synopsis string
	run      func(ctx context.Context, d Deps, fs *flag.FlagSet, args []string) error
}

func commands() map[string]command {
	return map[string]command{
		"create":      {"create USERNAME --email E [--password P] [--confirmed] [--approve] [--role R]", create},
		"list":        {"list [--json]", list},
		"modify":      {"modify USERNAME [--role R] [--disable|--enable] [--confirm] [--approve] [--reset-password] [--email E]", modify},
		"approve":     {"approve USERNAME", approve},
		"delete":      {"delete USERNAME", remove},
		"export":      {"export USERNAME --kind K [--out FILE]", exportData},
		"import":      {"import USERNAME --kind K --file FILE [--overwrite]", importData},
		"refresh":     {"refresh USER@DOMAIN | --domain D | --all [--concurrency N]   fetch remote profiles again", refresh},
		"rotate-keys": {"rotate-keys USERNAME | --all   new signing keys, announced to followers' servers", rotateKeys},
		"aliases":     {"aliases USERNAME [--add HANDLE | --remove HANDLE | --list]   accounts this one moved from", aliases},
		"move":        {"move USERNAME --to HANDLE   move to an account that lists USERNAME as an alias", move},
	}
}

// Accounts runs one accounts command; args are what follows "accounts" on the
// command line. -h or --help after a command prints its flags.
func Accounts(ctx context.Context, d Deps, args []string) error {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(d.Out, "Usage: tusk admin accounts COMMAND [flags]\n\nCommands:")
		for _, name := range []string{"create", "list", "modify", "approve", "delete", "export", "import", "rotate-keys", "refresh", "aliases", "move"} {
			fmt.Fprintln(d.Out, "  "+cmds[name].synopsis)
		}
		if len(args) == 0 {
			return errors.New("accounts: missing command")
		}
		return nil
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		return fmt.Errorf("accounts: unknown command %q (want create, list, modify, approve, delete, export, import, rotate-keys, refresh, aliases or move)", args[0])
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	fs.SetOutput(d.Out)
	fs.Usage = func() {
		fmt.Fprintf(d.Out, "Usage: tusk admin accounts %s\n", cmd.synopsis)
		if hasFlags(fs) {
			fmt.Fprintln(d.Out, "\nFlags:")
			fs.PrintDefaults()
		}
	}
	err := cmd.run(ctx, d, fs, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("accounts %s: %w", args[0], err)
	}
	return nil
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// parseArgs parses flags and takes the USERNAME, which may come before, between
// or after the flags. Without a positional wanted, any leftover argument is an error.
func parseArgs(fs *flag.FlagSet, args []string, wantUsername bool) (string, error) {
	var username string
	if wantUsername && len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		username, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	rest := fs.Args()
	if wantUsername && username == "" && len(rest) > 0 {
		username = rest[0]
		if err := fs.Parse(rest[1:]); err != nil {
			return "", err
		}
		rest = fs.Args()
	}
	if len(rest) > 0 {
		return "", fmt.Errorf("unexpected argument %q", rest[0])
	}
	if wantUsername && username == "" {
		return "", errors.New("missing USERNAME")
	}
	return username, nil
}

// isSet reports whether a flag was given, even with an empty value.
func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// normalizeRole accepts a role in any case; "" removes the role.
func normalizeRole(r string) (string, error) {
	for _, role := range []string{model.RoleOwner, model.RoleAdmin, model.RoleModerator} {
		if strings.EqualFold(r, role) {
			return role, nil
		}
	}
	if r == "" {
		return "", nil
	}
	return "", fmt.Errorf("--role %q is not one of Owner, Admin, Moderator (or \"\" for none)", r)
}

// newPassword returns a random password: 24 bytes, base64url, 32 characters.
func newPassword() string {
	b := make([]byte, 24)
	rand.Read(b) // never fails; see crypto/rand
	return base64.RawURLEncoding.EncodeToString(b)
}

// lookup finds a local account and its login.
func lookup(ctx context.Context, d Deps, username string) (*model.Account, *model.User, error) {
	a, err := d.Store.AccountByHandle(ctx, username, "")
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, fmt.Errorf("no local account named %q", username)
	}
	if err != nil {
		return nil, nil, err
	}
	u, err := d.Store.UserByAccountID(ctx, a.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, fmt.Errorf("account %q has no login", username)
	}
	return a, u, err
}
