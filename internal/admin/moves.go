package admin

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// AccountMover declares aliases, moves accounts and announces new keys
// (federation.Service does).
type AccountMover interface {
	Aliases(ctx context.Context, a *model.Account) ([]string, error)
	AddAlias(ctx context.Context, a *model.Account, ref string) ([]string, error)
	RemoveAlias(ctx context.Context, a *model.Account, ref string) ([]string, error)
	MoveAccount(ctx context.Context, a *model.Account, ref string) (*model.Account, error)
	KeyRotated(ctx context.Context, accountID int64) error
}

// aliases lists, adds or removes the accounts a local account says it moved from: the
// new account names the old one before the old one moves (Mastodon's account aliases).
func aliases(ctx context.Context, d Deps, fs *flag.FlagSet, args []string) error {
	add := fs.String("add", "", "declare this account (user@domain or actor URL) an alias")
	remove := fs.String("remove", "", "take this alias away (as listed, or user@domain)")
	listOnly := fs.Bool("list", false, "list the aliases (the default)")
	username, err := parseArgs(fs, args, true)
	if err != nil {
		return err
	}
	if btoi(*add != "")+btoi(*remove != "")+btoi(*listOnly) > 1 {
		return errors.New("give one of --add, --remove or --list")
	}
	a, err := movingAccount(ctx, d, username)
	if err != nil {
		return err
	}
	var list []string
	switch {
	case *add != "":
		list, err = d.Mover.AddAlias(ctx, a, *add)
	case *remove != "":
		list, err = d.Mover.RemoveAlias(ctx, a, *remove)
	default:
		list, err = d.Mover.Aliases(ctx, a)
	}
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintf(d.Out, "%s has no aliases.\n", a.Username)
	}
	for _, uri := range list {
		fmt.Fprintln(d.Out, uri)
	}
	return nil
}

// move moves a local account to another that lists it among its aliases.
func move(ctx context.Context, d Deps, fs *flag.FlagSet, args []string) error {
	to := fs.String("to", "", "the account to move to (user@domain, a local username or an actor URL)")
	username, err := parseArgs(fs, args, true)
	if err != nil {
		return err
	}
	if *to == "" {
		return errors.New("missing --to")
	}
	a, err := movingAccount(ctx, d, username)
	if err != nil {
		return err
	}
	target, err := d.Mover.MoveAccount(ctx, a, *to)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.Out, "OK: %s moved to %s; its followers are told, and local ones now follow %s.\n",
		a.Username, target.Acct(), target.Acct())
	return nil
}

func movingAccount(ctx context.Context, d Deps, username string) (*model.Account, error) {
	if d.Mover == nil {
		return nil, errors.New("federation is not available")
	}
	a, err := d.Store.AccountByHandle(ctx, username, "")
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("no local account named %q", username)
	}
	return a, err
}
