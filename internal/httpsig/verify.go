package httpsig

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"
)

// Scheme names the signature format a request used.
type Scheme string

// The schemes Verify accepts.
const (
	SchemeCavage  Scheme = "draft-cavage"
	SchemeRFC9421 Scheme = "rfc9421"
)

// Defaults for Verifier's window, Mastodon's figures.
const (
	DefaultMaxAge    = 12 * time.Hour
	DefaultMaxFuture = time.Hour
)

// KeyFunc returns the public key named by keyID and the URI of the actor
// that owns it. refresh=true asks for a fresh copy rather than a cached one:
// the verifier does that once when a signature fails with the first key, in
// case the remote actor rotated it. Return an error wrapping ErrKeyNotFound
// (or any error) when there is no such key.
type KeyFunc func(ctx context.Context, keyID string, refresh bool) (key crypto.PublicKey, owner string, err error)

// Verifier checks inbound signatures. The zero value needs only Keys.
type Verifier struct {
	Keys      KeyFunc          // required
	Now       func() time.Time // the clock; time.Now when nil
	MaxAge    time.Duration    // DefaultMaxAge when zero
	MaxFuture time.Duration    // DefaultMaxFuture when zero
	// Scheme is the request scheme for @target-uri, @authority and @scheme
	// when neither the URL nor TLS says (a server behind a TLS-terminating
	// proxy); "https" when empty.
	Scheme string
}

// Result says what a verified signature proved.
type Result struct {
	Scheme     Scheme
	KeyID      string
	Owner      string   // as returned by KeyFunc; the caller checks it against the actor
	Algorithm  string   // RFC 9421 name of the algorithm that verified
	Components []string // covered headers (cavage) or component names (RFC 9421), in signed order
	Created    time.Time
}

// signature is either scheme's signature, reduced to what verification needs.
type signature struct {
	scheme     Scheme
	keyID      string
	algs       []string // algorithms to try; nil means "as the key allows"
	components []string
	created    time.Time
	expires    time.Time
	base       []byte
	sig        []byte
}

// Verify checks the signature on r, whose body the caller has read into
// body. It checks everything it can before asking for the key, so junk
// requests cost no key fetch. With several RFC 9421 signatures, the first that
// verifies wins; otherwise the first failure is returned.
func (v *Verifier) Verify(ctx context.Context, r *http.Request, body []byte) (*Result, error) {
	sigs, err := v.parse(r)
	if err != nil {
		return nil, err
	}
	var firstErr error
	for _, s := range sigs {
		res, err := v.verifyOne(ctx, r, body, s)
		if err == nil {
			return res, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}

func (v *Verifier) parse(r *http.Request) ([]*signature, error) {
	if len(r.Header.Values("Signature-Input")) > 0 {
		return parseRFC9421(r, v.Scheme)
	}
	value, ok := cavageHeaderValue(r)
	if !ok {
		return nil, ErrNoSignature
	}
	s, err := parseCavage(r, value)
	if err != nil {
		return nil, err
	}
	return []*signature{s}, nil
}

func (v *Verifier) verifyOne(ctx context.Context, r *http.Request, body []byte, s *signature) (*Result, error) {
	if err := checkCoverage(r, body, s); err != nil {
		return nil, err
	}
	created, err := v.checkTime(r, s)
	if err != nil {
		return nil, err
	}
	if err := checkBodyDigests(r, body, s); err != nil {
		return nil, err
	}
	owner, alg, err := v.verifyWithKey(ctx, s)
	if err != nil {
		return nil, err
	}
	return &Result{Scheme: s.scheme, KeyID: s.keyID, Owner: owner, Algorithm: alg,
		Components: s.components, Created: created}, nil
}

// verifyWithKey fetches the key and checks the signature; on a bad
// signature it refetches once with refresh=true and tries again.
func (v *Verifier) verifyWithKey(ctx context.Context, s *signature) (owner, alg string, err error) {
	for _, refresh := range []bool{false, true} {
		key, keyOwner, keyErr := v.Keys(ctx, s.keyID, refresh)
		switch {
		case keyErr != nil && errors.Is(keyErr, ErrKeyNotFound):
			return "", "", fmt.Errorf("key %q: %w", s.keyID, keyErr)
		case keyErr != nil:
			return "", "", fmt.Errorf("%w: %q: %w", ErrKeyNotFound, s.keyID, keyErr)
		case key == nil:
			return "", "", fmt.Errorf("%w: %q: no key returned", ErrKeyNotFound, s.keyID)
		}
		alg, err = s.verify(key)
		if err == nil {
			return keyOwner, alg, nil
		}
		if !errors.Is(err, ErrBadSignature) {
			return "", "", err
		}
	}
	return "", "", err
}

// verify checks the signature with key and returns the algorithm that
// verified it.
func (s *signature) verify(key crypto.PublicKey) (string, error) {
	algs := s.algs
	if algs == nil {
		algs = algorithmsForKey(key)
	}
	if len(algs) == 0 {
		return "", fmt.Errorf("%w: key type %T", ErrBadSignature, key)
	}
	var err error
	for _, alg := range algs {
		if err = verifyWith(alg, key, s.base, s.sig); err == nil {
			return alg, nil
		}
		if errors.Is(err, ErrUnsupportedAlgorithm) {
			return "", err
		}
	}
	return "", fmt.Errorf("%w: key %q: %v", ErrBadSignature, s.keyID, err)
}

// checkCoverage insists the signature covers what stops it being replayed
// elsewhere: the method and target, the host, the time, and the body.
func checkCoverage(r *http.Request, body []byte, s *signature) error {
	var need [][]string // each entry: any one of these names will do
	if s.scheme == SchemeCavage {
		need = [][]string{{"(request-target)"}, {"host"}, {"date", "(created)"}}
	} else {
		need = [][]string{{"@method"}, {"@target-uri", "@path", "@request-target"},
			{"@authority", "@target-uri"}}
		if s.created.IsZero() {
			need = append(need, []string{"date"})
		}
	}
	if needsDigest(r, body) {
		need = append(need, []string{"digest", "content-digest"})
	}
	for _, anyOf := range need {
		if !slices.ContainsFunc(anyOf, func(c string) bool { return slices.Contains(s.components, c) }) {
			return fmt.Errorf("%w: %v", ErrMissingComponent, anyOf)
		}
	}
	return nil
}

// checkTime applies the age window to created (or the signed Date) and the
// expiry, returning the time the signature claims.
func (v *Verifier) checkTime(r *http.Request, s *signature) (time.Time, error) {
	now := time.Now()
	if v.Now != nil {
		now = v.Now()
	}
	created := s.created
	if created.IsZero() || !slices.Contains(s.components, "(created)") && s.scheme == SchemeCavage {
		date, err := http.ParseTime(r.Header.Get("Date"))
		if err != nil {
			return time.Time{}, fmt.Errorf("%w: date: %v", ErrMalformed, err)
		}
		created = date
	}
	maxAge, maxFuture := orDefault(v.MaxAge, DefaultMaxAge), orDefault(v.MaxFuture, DefaultMaxFuture)
	switch {
	case created.Before(now.Add(-maxAge)):
		return time.Time{}, fmt.Errorf("%w: signed at %s", ErrExpired, created.UTC().Format(time.RFC3339))
	case created.After(now.Add(maxFuture)):
		return time.Time{}, fmt.Errorf("%w: signed at %s", ErrFuture, created.UTC().Format(time.RFC3339))
	case !s.expires.IsZero() && now.After(s.expires):
		return time.Time{}, fmt.Errorf("%w: expired at %s", ErrExpired, s.expires.UTC().Format(time.RFC3339))
	}
	return created, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// checkBodyDigests checks every covered digest header against the body.
func checkBodyDigests(r *http.Request, body []byte, s *signature) error {
	if slices.Contains(s.components, "digest") {
		if err := checkDigest(r.Header.Values("Digest"), body); err != nil {
			return err
		}
	}
	if slices.Contains(s.components, "content-digest") {
		if err := checkContentDigest(r.Header.Values("Content-Digest"), body); err != nil {
			return err
		}
	}
	return nil
}
