package fedsim

import (
	"context"
	"crypto/rsa"
	"fmt"
	"net/http"
	"time"

	"github.com/tuskhq/tusk/internal/httpsig"
	"github.com/tuskhq/tusk/internal/outbound"
	"github.com/tuskhq/tusk/internal/store"
)

// bench is what the scenarios of one simulation share: the store, the actors' keys,
// the delivery client and, for the instance source, the running tusk.
type bench struct {
	st     *store.Store
	o      Options
	keys   *KeyPool
	client *outbound.Client

	instance  *Instance    // FromInstance
	keyClient *http.Client // the hosts' fetches of tusk's keys
	posters   int

	directKey *rsa.PrivateKey // Direct
}

// directKeyID names the direct source's key: there is no server to fetch it from, so
// the hosts are handed it.
const directKeyID = "http://tusk.bench/users/bench#main-key"

func newBench(ctx context.Context, st *store.Store, o Options) (*bench, error) {
	pool := o.KeyPool
	if pool <= 0 {
		pool = DefaultKeyPool
	}
	b := &bench{st: st, o: o, keys: NewKeyPool(min(pool, o.Hosts)), client: benchClient(o)}
	var err error
	switch o.Source {
	case FromInstance:
		progress(o, "starting tusk on loopback…")
		b.instance, err = StartInstance(ctx, st, o.Timeout, o.Log)
		b.keyClient = &http.Client{Timeout: 30 * time.Second}
	case Direct:
		b.directKey, err = httpsig.GenerateRSAKey()
	default:
		err = fmt.Errorf("fedsim: unknown source %q (want %s or %s)", o.Source, FromInstance, Direct)
	}
	if err != nil {
		return nil, err
	}
	return b, nil
}

func (b *bench) close() {
	if b.instance != nil {
		if err := b.instance.Close(); err != nil && b.o.Log != nil {
			b.o.Log.Warn("fedsim: stop the instance", "err", err)
		}
	}
}

// newSource makes the source of one scenario and the verifier factory of its fleet:
// each scenario has a poster of its own, followed by that scenario's fleet only.
func (b *bench) newSource(ctx context.Context) (Source, func() *httpsig.Verifier, error) {
	if b.instance == nil {
		verifier := KeyVerifier(directKeyID, b.directKey.Public())
		src := &DirectSource{Store: b.st, BaseURL: "http://tusk.bench", KeyID: directKeyID, Key: b.directKey, Client: b.client}
		return src, func() *httpsig.Verifier { return verifier }, nil
	}
	b.posters++
	poster, err := b.instance.NewPoster(ctx, fmt.Sprintf("fedsim%d", b.posters))
	if err != nil {
		return nil, nil, err
	}
	src := &InstanceSource{Instance: b.instance, Poster: poster, Client: b.client, Policy: b.o.Policy,
		Progress: func(format string, args ...any) { progress(b.o, format, args...) }}
	return src, func() *httpsig.Verifier { return FetchingVerifier(b.keyClient) }, nil
}
