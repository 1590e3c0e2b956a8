package fedsim

import (
	"context"
	"crypto"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/tuskhq/tusk/internal/httpsig"
)

// DefaultKeyPool is how many RSA keys a fleet's actors share. A 2048-bit key takes
// about 0.1 s of CPU to make, so a key per host would add minutes to a 1,000-host run
// for nothing the benchmark measures: tusk caches keys by id and each host serves its
// key under its own id, so to tusk they are as many keys as hosts.
const DefaultKeyPool = 32

// KeyPool is a fleet's actor keys, each made when first needed: runs that never ask
// for an actor (the direct source) make none.
type KeyPool struct {
	slots []keySlot
}

type keySlot struct {
	once sync.Once
	key  *rsa.PrivateKey
	pem  string
	err  error
}

// NewKeyPool makes a pool of size keys (at least one), none generated yet.
func NewKeyPool(size int) *KeyPool { return &KeyPool{slots: make([]keySlot, max(size, 1))} }

// get is the key of host i and its public half as PEM.
func (p *KeyPool) get(i int) (*rsa.PrivateKey, string, error) {
	s := &p.slots[i%len(p.slots)]
	s.once.Do(func() {
		if s.key, s.err = httpsig.GenerateRSAKey(); s.err == nil {
			s.pem, s.err = httpsig.EncodePublicKeyPEM(s.key.Public())
		}
	})
	return s.key, s.pem, s.err
}

// KeyVerifier checks signatures against one public key, the local signer's: the
// direct source has no local HTTP server to fetch it from.
func KeyVerifier(keyID string, pub crypto.PublicKey) *httpsig.Verifier {
	return &httpsig.Verifier{Scheme: "http", Keys: func(_ context.Context, id string, _ bool) (crypto.PublicKey, string, error) {
		if id != keyID {
			return nil, "", fmt.Errorf("fedsim: unknown key %q: %w", id, httpsig.ErrKeyNotFound)
		}
		return pub, "", nil
	}}
}

// FetchingVerifier checks signatures as a remote server does: it fetches the key's
// actor document from the key id's URL the first time it sees the id, and again when a
// signature fails with the cached copy. Each fake host has its own, so each fetches
// tusk's key once, as each real server would.
func FetchingVerifier(client *http.Client) *httpsig.Verifier {
	f := &keyFetcher{client: client, keys: map[string]fetchedKey{}}
	return &httpsig.Verifier{Scheme: "http", Keys: f.key}
}

type keyFetcher struct {
	client *http.Client
	mu     sync.Mutex
	keys   map[string]fetchedKey
}

type fetchedKey struct {
	pub   crypto.PublicKey
	owner string
}

func (f *keyFetcher) key(ctx context.Context, keyID string, refresh bool) (crypto.PublicKey, string, error) {
	f.mu.Lock()
	k, ok := f.keys[keyID]
	f.mu.Unlock()
	if ok && !refresh {
		return k.pub, k.owner, nil
	}
	k, err := f.fetch(ctx, keyID)
	if err != nil {
		return nil, "", err
	}
	f.mu.Lock()
	f.keys[keyID] = k
	f.mu.Unlock()
	return k.pub, k.owner, nil
}

// fetch reads the actor document at keyID (its fragment dropped) and takes the key it
// names, checking that the document is the owner the key claims.
func (f *keyFetcher) fetch(ctx context.Context, keyID string) (fetchedKey, error) {
	docURL, _, _ := strings.Cut(keyID, "#")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, docURL, nil)
	if err != nil {
		return fetchedKey{}, fmt.Errorf("fedsim: key %s: %w", keyID, httpsig.ErrKeyNotFound)
	}
	req.Header.Set("Accept", "application/activity+json")
	resp, err := f.client.Do(req)
	if err != nil {
		return fetchedKey{}, fmt.Errorf("fedsim: fetch key %s: %w", keyID, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fetchedKey{}, fmt.Errorf("fedsim: fetch key %s: status %d: %w", keyID, resp.StatusCode, httpsig.ErrKeyNotFound)
	}
	var doc struct {
		ID        string `json:"id"`
		PublicKey struct {
			ID, Owner, PublicKeyPem string
		} `json:"publicKey"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&doc); err != nil {
		return fetchedKey{}, fmt.Errorf("fedsim: fetch key %s: %w", keyID, err)
	}
	if doc.PublicKey.ID != keyID || doc.PublicKey.Owner != doc.ID {
		return fetchedKey{}, fmt.Errorf("fedsim: %s does not hold key %s of its own: %w", docURL, keyID, httpsig.ErrKeyNotFound)
	}
	pub, err := httpsig.DecodePublicKeyPEM(doc.PublicKey.PublicKeyPem)
	if err != nil {
		return fetchedKey{}, fmt.Errorf("fedsim: key %s: %w", keyID, err)
	}
	return fetchedKey{pub: pub, owner: doc.ID}, nil
}
