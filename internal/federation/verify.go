package federation

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/tuskhq/tusk/internal/httpsig"
	"github.com/tuskhq/tusk/internal/store"
)

// remoteKey is a verified-to-be-owned public key of a remote actor.
type remoteKey struct {
	pub       crypto.PublicKey
	owner     string // the actor's id
	accountID int64
}

// keyCache keeps parsed remote keys in memory: parsing a PEM and reading the actors
// table for each of thousands of deliveries a second would dominate verification.
type keyCache struct {
	mu   sync.RWMutex
	byID map[string]*remoteKey
}

func (c *keyCache) get(keyID string) *remoteKey {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.byID[keyID]
}

func (c *keyCache) put(keyID string, k *remoteKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byID == nil || len(c.byID) > 100_000 {
		c.byID = map[string]*remoteKey{} // bounded: start over rather than grow without end
	}
	c.byID[keyID] = k
}

// forgetOwner drops an actor's cached keys after its document was stored again.
func (c *keyCache) forgetOwner(owner string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, k := range c.byID {
		if k.owner == owner {
			delete(c.byID, id)
		}
	}
}

// verifier checks inbound signatures with keys from lookupKey.
func (s *Service) verifier() *httpsig.Verifier {
	scheme := "https"
	if strings.HasPrefix(s.URLs.Base, "http://") {
		scheme = "http"
	}
	return &httpsig.Verifier{Keys: s.lookupKey, Now: s.now, Scheme: scheme}
}

// lookupKey finds the key named by keyID: in memory, then in the actors table, then
// by fetching its actor. refresh (after a failed verification) always fetches, so a
// rotated key costs one fetch.
func (s *Service) lookupKey(ctx context.Context, keyID string, refresh bool) (crypto.PublicKey, string, error) {
	if !refresh {
		if k := s.remoteKeys.get(keyID); k != nil {
			return k.pub, k.owner, nil
		}
		if k, err := s.storedKey(ctx, keyID); err == nil {
			return k.pub, k.owner, nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, "", err
		}
	}
	if err := s.fetchKeyOwner(ctx, keyID); err != nil {
		return nil, "", fmt.Errorf("%w: %s: %v", httpsig.ErrKeyNotFound, keyID, err)
	}
	k, err := s.storedKey(ctx, keyID)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %s: %v", httpsig.ErrKeyNotFound, keyID, err)
	}
	return k.pub, k.owner, nil
}

func (s *Service) storedKey(ctx context.Context, keyID string) (*remoteKey, error) {
	acct, actor, err := s.Store.AccountByKeyID(ctx, keyID)
	if err != nil {
		return nil, err
	}
	if acct.IsLocal() || acct.SuspendedAt != nil {
		return nil, fmt.Errorf("federation: key %s: %w", keyID, store.ErrNotFound)
	}
	pub, err := httpsig.DecodePublicKeyPEM(actor.PublicKeyPEM)
	if err != nil {
		return nil, fmt.Errorf("federation: key %s: %w", keyID, err)
	}
	k := &remoteKey{pub: pub, owner: acct.URI, accountID: acct.ID}
	s.remoteKeys.put(keyID, k)
	return k, nil
}

// fetchKeyOwner fetches the actor a key belongs to and stores it. Mastodon's key ids
// are the actor's id with a fragment; others publish the key as its own document
// naming its owner, whose actor document must then name the key back.
func (s *Service) fetchKeyOwner(ctx context.Context, keyID string) error {
	actorURI, _, hasFragment := strings.Cut(keyID, "#")
	if !hasFragment {
		d, err := s.fetchDoc(ctx, keyID)
		if err != nil {
			return err
		}
		if d.obj("publicKey") == nil && d.str("owner") != "" {
			actorURI = d.str("owner") // a key document
		}
	}
	if !sameHost(actorURI, keyID) {
		return fmt.Errorf("%w: key %s owned by %s", ErrOriginMismatch, keyID, actorURI)
	}
	acct, err := s.RefreshActor(ctx, actorURI)
	if err != nil {
		return err
	}
	actor, err := s.Store.ActorByAccountID(ctx, acct.ID)
	if err != nil {
		return err
	}
	if actor.PublicKeyID != keyID {
		return fmt.Errorf("federation: actor %s does not publish key %s", actorURI, keyID)
	}
	return nil
}
