package federation

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/tuskhq/tusk/internal/ap"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
)

// Moving accounts, as Mastodon does it: the new account first names the old one among
// its aliases (alsoKnownAs), then the old account moves (movedTo, and a Move to its
// followers, whose servers check the alias and follow the new account instead).

// ErrMoveRefused: an alias or a move that cannot be made; the message says why.
var ErrMoveRefused = errors.New("refused")

func moveRefused(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMoveRefused, fmt.Sprintf(format, args...))
}

// Aliases lists the actor ids a local account declares it moved from.
func (s *Service) Aliases(ctx context.Context, a *model.Account) ([]string, error) {
	actor, err := s.Store.ActorByAccountID(ctx, a.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return actor.AlsoKnownAs, nil
}

// AddAlias resolves ref (user@domain, a local username or an actor URL) and adds its
// actor id to a's aliases, then tells a's followers' servers (Update of the actor).
func (s *Service) AddAlias(ctx context.Context, a *model.Account, ref string) ([]string, error) {
	other, err := s.resolveMoveAccount(ctx, ref)
	if err != nil {
		return nil, err
	}
	if other.ID == a.ID {
		return nil, moveRefused("an account cannot be its own alias")
	}
	aliases, err := s.Aliases(ctx, a)
	if err != nil {
		return nil, err
	}
	uri := s.actorID(other)
	if slices.Contains(aliases, uri) {
		return aliases, nil
	}
	if len(aliases) >= ap.MaxAliases {
		return nil, moveRefused("an account has at most %d aliases", ap.MaxAliases)
	}
	return s.saveAliases(ctx, a, append(slices.Clone(aliases), uri))
}

// RemoveAlias takes ref off a's aliases: an alias as listed, or a handle resolving to one.
func (s *Service) RemoveAlias(ctx context.Context, a *model.Account, ref string) ([]string, error) {
	aliases, err := s.Aliases(ctx, a)
	if err != nil {
		return nil, err
	}
	uri := strings.TrimSpace(ref)
	if !slices.Contains(aliases, uri) {
		other, err := s.resolveMoveAccount(ctx, ref)
		if err != nil {
			return nil, err
		}
		uri = s.actorID(other)
	}
	if !slices.Contains(aliases, uri) {
		return nil, moveRefused("%s is not an alias of %s", ref, a.Username)
	}
	return s.saveAliases(ctx, a, slices.DeleteFunc(slices.Clone(aliases), func(v string) bool { return v == uri }))
}

func (s *Service) saveAliases(ctx context.Context, a *model.Account, aliases []string) ([]string, error) {
	err := s.Store.Tx(ctx, func(q store.Q) error {
		if err := q.SetActorAliases(ctx, a.ID, aliases); err != nil {
			return err
		}
		return s.Federate(ctx, q, social.ProfileUpdated{AccountID: a.ID})
	})
	if err != nil {
		return nil, fmt.Errorf("federation: aliases of %s: %w", a.Username, err)
	}
	return aliases, nil
}

// MoveAccount moves local account a to the account ref names, which must list a among
// its aliases (read fresh from its server). a gets movedTo; its followers' servers and
// the new account's get a Move; a's local followers follow the new account; a can no
// longer be followed. It returns the new account.
func (s *Service) MoveAccount(ctx context.Context, a *model.Account, ref string) (*model.Account, error) {
	if !a.IsLocal() {
		return nil, moveRefused("%s is not a local account", a.Acct())
	}
	target, err := s.moveTarget(ctx, a, ref)
	if err != nil {
		return nil, err
	}
	err = s.Store.Tx(ctx, func(q store.Q) error {
		if err := q.SetAccountMovedTo(ctx, a.ID, target.ID); err != nil {
			return err
		}
		if err := q.SetActorMovedTo(ctx, a.ID, s.actorID(target)); err != nil {
			return err
		}
		return s.Federate(ctx, q, social.AccountMoved{AccountID: a.ID, TargetID: target.ID})
	})
	if err != nil {
		return nil, fmt.Errorf("federation: move %s: %w", a.Username, err)
	}
	moved := *a
	moved.MovedToAccountID = &target.ID
	if err := s.Social.ReceiveMove(ctx, &moved, target); err != nil {
		return nil, fmt.Errorf("federation: move %s's local followers: %w", a.Username, err)
	}
	return target, nil
}

// moveTarget resolves where a moves to and checks, as Mastodon does, that it is
// another account that has not moved itself and that names a among its aliases.
func (s *Service) moveTarget(ctx context.Context, a *model.Account, ref string) (*model.Account, error) {
	target, err := s.resolveMoveAccount(ctx, ref)
	if err != nil {
		return nil, err
	}
	if target.ID == a.ID {
		return nil, moveRefused("an account cannot move to itself")
	}
	if a.MovedToAccountID != nil && *a.MovedToAccountID == target.ID {
		return nil, moveRefused("%s has already moved to %s", a.Username, target.Acct())
	}
	if target.MovedToAccountID != nil {
		return nil, moveRefused("%s has itself moved; move to where it went", target.Acct())
	}
	if !target.IsLocal() {
		// The alias was likely added moments ago: read it from its server, not our copy.
		if target, err = s.RefreshActor(ctx, target.URI); err != nil {
			return nil, fmt.Errorf("federation: fetch %s: %w", ref, err)
		}
	}
	aliases, err := s.Aliases(ctx, target)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(aliases, s.actorID(a)) {
		return nil, moveRefused("%s does not list %s among its aliases (alsoKnownAs); add the alias on the new account first",
			target.Acct(), s.actorID(a))
	}
	return target, nil
}

// resolveMoveAccount finds the account ref names: a local username, user@domain (the
// local domain included) or an actor URL, fetching remote ones.
func (s *Service) resolveMoveAccount(ctx context.Context, ref string) (*model.Account, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil, moveRefused("no account given")
	}
	var a *model.Account
	var err error
	switch {
	case strings.HasPrefix(ref, s.URLs.Base+"/users/"):
		a, err = s.localAccountByURI(ctx, ref)
	case !strings.Contains(strings.TrimPrefix(ref, "@"), "@") && !strings.Contains(ref, "/"):
		a, err = s.Store.AccountByHandle(ctx, strings.TrimPrefix(ref, "@"), "")
	default:
		a, _, err = s.Resolve(ctx, ref)
	}
	if err != nil {
		return nil, moveRefused("cannot find the account %s: %v", ref, err)
	}
	if a == nil {
		return nil, moveRefused("%s is not an account", ref)
	}
	if a.SuspendedAt != nil {
		return nil, moveRefused("%s is suspended", a.Acct())
	}
	return a, nil
}

// federateMove sends a local account's Move to its followers' servers and to the new
// account's, signed by the account that moved.
func (s *Service) federateMove(ctx context.Context, q store.Q, e social.AccountMoved) error {
	from, err := localAccount(ctx, q, e.AccountID)
	if err != nil || from == nil {
		return err
	}
	to, err := q.AccountByID(ctx, e.TargetID)
	if err != nil {
		return err
	}
	aud := audience{}
	if err := aud.addFollowers(ctx, q, from.ID); err != nil {
		return err
	}
	if err := aud.addAccounts(ctx, q, to.ID); err != nil {
		return err
	}
	oldID := s.actorID(from)
	move := &Activity{Context: Context, ID: s.URLs.Activity(from.Username, "moves", to.ID), Type: "Move",
		Actor: oldID, To: []string{s.URLs.Followers(from.Username)}, Object: oldID, Target: s.actorID(to)}
	return s.send(ctx, q, from.ID, move, aud)
}

// KeyRotated is called after a local account's key pair was replaced: this process
// forgets the old key, and the account's followers' servers get an Update of the actor,
// so they read the new public key before the next signed request needs it.
func (s *Service) KeyRotated(ctx context.Context, accountID int64) error {
	s.Keys.Forget(accountID)
	return s.Store.Tx(ctx, func(q store.Q) error {
		return s.Federate(ctx, q, social.ProfileUpdated{AccountID: accountID})
	})
}
