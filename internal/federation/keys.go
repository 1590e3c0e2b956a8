package federation

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// KeyBits is the size of the RSA keys tusk makes, as Mastodon's.
const KeyBits = 2048

// keyCacheTTL is how long a process signs with a key it loaded before reading it
// again: `tusk admin accounts rotate-keys` runs in its own process and writes the new
// key to the database, and running servers take it up within this time, no restart.
const keyCacheTTL = 5 * time.Minute

// instanceKeyName names the instance actor's private key in server_keys.
const instanceKeyName = "instance_actor_private_key"

// LocalKey is a key this instance signs with.
type LocalKey struct {
	ID        string // the keyId other servers look up
	Private   *rsa.PrivateKey
	PublicPEM string // SubjectPublicKeyInfo, as actor documents carry it
}

// Keys hands out the signing keys of local accounts and of the instance actor. A key is
// made on first need, not at sign-up: most accounts of a small instance never federate,
// and a 2048-bit key takes tens of milliseconds to make.
type Keys struct {
	store *store.Store
	urls  URLs
	mu    sync.Mutex
	cache map[int64]cachedKey // by account id; 0 is the instance actor
	now   func() time.Time
}

type cachedKey struct {
	key      *LocalKey
	loadedAt time.Time
}

// NewKeys returns the key source of an instance.
func NewKeys(st *store.Store, urls URLs) *Keys {
	return &Keys{store: st, urls: urls, cache: map[int64]cachedKey{}, now: time.Now}
}

// Account returns a local account's key, making and storing it the first time.
func (k *Keys) Account(ctx context.Context, a *model.Account) (*LocalKey, error) {
	if !a.IsLocal() {
		return nil, fmt.Errorf("federation: account %d is remote and has no private key here", a.ID)
	}
	if key := k.cached(a.ID); key != nil {
		return key, nil
	}
	q := k.store.Q
	actor, err := q.ActorByAccountID(ctx, a.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if actor == nil || actor.PrivateKeyPEM == "" {
		if err := k.makeAccountKey(ctx, a); err != nil {
			return nil, err
		}
		if actor, err = q.ActorByAccountID(ctx, a.ID); err != nil {
			return nil, err
		}
	}
	key, err := parseLocalKey(actor.PublicKeyID, actor.PrivateKeyPEM)
	if err != nil {
		return nil, fmt.Errorf("federation: key of account %d: %w", a.ID, err)
	}
	return k.remember(a.ID, key), nil
}

func (k *Keys) makeAccountKey(ctx context.Context, a *model.Account) error {
	priv, pub, err := newKeyPEM()
	if err != nil {
		return err
	}
	return k.store.Writer().SetLocalKeys(ctx, a.ID, k.urls.KeyID(a.Username), pub, priv)
}

// Instance returns the instance actor's key, making and storing it the first time.
func (k *Keys) Instance(ctx context.Context) (*LocalKey, error) {
	if key := k.cached(0); key != nil {
		return key, nil
	}
	q := k.store.Q
	privPEM, err := q.ServerKey(ctx, instanceKeyName)
	if errors.Is(err, store.ErrNotFound) {
		made, _, genErr := newKeyPEM()
		if genErr != nil {
			return nil, genErr
		}
		if err := k.store.Writer().InsertServerKey(ctx, instanceKeyName, made); err != nil {
			return nil, err
		}
		privPEM, err = q.ServerKey(ctx, instanceKeyName) // another process may have won
	}
	if err != nil {
		return nil, err
	}
	key, err := parseLocalKey(k.urls.InstanceKeyID(), privPEM)
	if err != nil {
		return nil, fmt.Errorf("federation: instance actor key: %w", err)
	}
	return k.remember(0, key), nil
}

func (k *Keys) cached(id int64) *LocalKey {
	k.mu.Lock()
	defer k.mu.Unlock()
	c, ok := k.cache[id]
	if !ok || k.now().Sub(c.loadedAt) > keyCacheTTL {
		return nil
	}
	return c.key
}

func (k *Keys) remember(id int64, key *LocalKey) *LocalKey {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.cache[id] = cachedKey{key: key, loadedAt: k.now()}
	return key
}

// Forget drops an account's key from the cache, so the next signature reads the
// stored key again (after a rotation in this process).
func (k *Keys) Forget(accountID int64) {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.cache, accountID)
}

// newKeyPEM makes an RSA key pair: the private key as PKCS#1 PEM and the public key as
// SubjectPublicKeyInfo PEM, the forms Mastodon stores and publishes.
func newKeyPEM() (privatePEM, publicPEM string, err error) {
	priv, err := rsa.GenerateKey(rand.Reader, KeyBits)
	if err != nil {
		return "", "", fmt.Errorf("federation: generate key: %w", err)
	}
	pubPEM, err := encodePublicPEM(&priv.PublicKey)
	if err != nil {
		return "", "", err
	}
	privBlock := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(priv)})
	return string(privBlock), pubPEM, nil
}

func encodePublicPEM(pub *rsa.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", fmt.Errorf("federation: encode public key: %w", err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})), nil
}

func parseLocalKey(keyID, privatePEM string) (*LocalKey, error) {
	block, _ := pem.Decode([]byte(privatePEM))
	if block == nil {
		return nil, errors.New("no PEM block")
	}
	priv, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	pub, err := encodePublicPEM(&priv.PublicKey)
	if err != nil {
		return nil, err
	}
	return &LocalKey{ID: keyID, Private: priv, PublicPEM: pub}, nil
}
