package social

import (
	"context"
	"errors"
	"strings"

	"golang.org/x/net/idna"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// maxDomainLength is DNS's limit on a name.
const maxDomainLength = 253

// normalizeDomain turns what a member typed into the form accounts store their domain
// in: lower case, punycode, no trailing dot.
func normalizeDomain(raw string) (string, error) {
	d := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(raw)), ".")
	if d == "" {
		return "", httpx.Unprocessable("Validation failed: Domain can't be blank")
	}
	ascii, err := idna.Lookup.ToASCII(d)
	if err != nil || len(ascii) > maxDomainLength || !strings.Contains(ascii, ".") {
		return "", httpx.Unprocessable("Validation failed: Domain is not a valid domain name")
	}
	return ascii, nil
}

// BlockDomain makes actor block a domain: its accounts' statuses and notifications stop
// reaching actor, its accounts following actor or asking to are removed, and actor can
// no longer follow new accounts there. Accounts there that actor already follows stay.
func (s *Service) BlockDomain(ctx context.Context, actor *model.Account, raw string) error {
	domain, err := normalizeDomain(raw)
	if err != nil {
		return err
	}
	return s.Store.Tx(ctx, func(q store.Q) error {
		if err := q.InsertDomainBlock(ctx, actor.ID, domain); err != nil {
			return err
		}
		return s.dropFollowersFrom(ctx, q, actor.ID, domain)
	})
}

// dropFollowersFrom removes the follows and follow requests of actorID by accounts on domain.
func (s *Service) dropFollowersFrom(ctx context.Context, q store.Q, actorID int64, domain string) error {
	for _, table := range []string{store.Follows, store.FollowRequests} {
		ids, err := q.RelatedFromDomain(ctx, table, actorID, domain)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := q.DeleteFollow(ctx, table, id, actorID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
	}
	return nil
}

// UnblockDomain lifts actor's block of a domain; lifting an absent block is harmless.
func (s *Service) UnblockDomain(ctx context.Context, actor *model.Account, raw string) error {
	domain, err := normalizeDomain(raw)
	if err != nil {
		return err
	}
	return s.Store.Writer().DeleteDomainBlock(ctx, actor.ID, domain)
}

// DomainBlocks lists the domains viewer blocks, with the cursors Mastodon pages by.
func (s *Service) DomainBlocks(ctx context.Context, viewer *model.Account, p httpx.Page) ([]string, []int64, error) {
	return s.Store.DomainBlocks(ctx, viewer.ID, storePage(p))
}

// DomainBlockName is the form a domain block of raw is stored in (for comparing an
// imported list with the blocks that exist).
func DomainBlockName(raw string) (string, error) { return normalizeDomain(raw) }
