package httpsig

import (
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"hash"
	"strings"

	"github.com/dunglas/httpsfv"
)

// DigestHeader is the RFC 3230 Digest value Mastodon sends and checks with
// draft-cavage signatures: "SHA-256=<base64>".
func DigestHeader(body []byte) string {
	sum := sha256.Sum256(body)
	return "SHA-256=" + base64.StdEncoding.EncodeToString(sum[:])
}

// ContentDigestHeader is the RFC 9530 Content-Digest value for body with
// algorithm "sha-256" or "sha-512".
func ContentDigestHeader(alg string, body []byte) (string, error) {
	h, err := digestHash(alg)
	if err != nil {
		return "", err
	}
	h.Write(body)
	dict := httpsfv.NewDictionary()
	dict.Add(alg, httpsfv.NewItem(h.Sum(nil)))
	return httpsfv.Marshal(dict)
}

func digestHash(alg string) (hash.Hash, error) {
	switch strings.ToLower(alg) {
	case "sha-256":
		return sha256.New(), nil
	case "sha-512":
		return sha512.New(), nil
	}
	return nil, fmt.Errorf("%w: digest %q", ErrUnsupportedAlgorithm, alg)
}

func sumMatches(alg string, want, body []byte) (bool, error) {
	h, err := digestHash(alg)
	if err != nil {
		return false, err
	}
	h.Write(body)
	return subtle.ConstantTimeCompare(h.Sum(nil), want) == 1, nil
}

// checkDigest checks an RFC 3230 Digest header ("SHA-256=…, SHA-512=…")
// against body. Every algorithm we know must match and at least one must be
// present; ones we do not know are ignored, as RFC 3230 allows.
func checkDigest(values []string, body []byte) error {
	known := 0
	for _, part := range strings.Split(strings.Join(values, ","), ",") {
		alg, encoded, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return fmt.Errorf("%w: digest entry %q", ErrMalformed, part)
		}
		if _, err := digestHash(alg); err != nil {
			continue
		}
		want, err := base64.StdEncoding.DecodeString(encoded)
		if err != nil {
			return fmt.Errorf("%w: digest %s: %v", ErrMalformed, alg, err)
		}
		if ok, _ := sumMatches(alg, want, body); !ok {
			return fmt.Errorf("%w: %s", ErrDigestMismatch, alg)
		}
		known++
	}
	if known == 0 {
		return fmt.Errorf("%w: no sha-256 or sha-512 digest", ErrUnsupportedAlgorithm)
	}
	return nil
}

// checkContentDigest checks an RFC 9530 Content-Digest dictionary against
// body, with the same rule as checkDigest.
func checkContentDigest(values []string, body []byte) error {
	dict, err := httpsfv.UnmarshalDictionary(values)
	if err != nil {
		return fmt.Errorf("%w: content-digest: %v", ErrMalformed, err)
	}
	known := 0
	for _, alg := range dict.Names() {
		if _, err := digestHash(alg); err != nil {
			continue
		}
		member, _ := dict.Get(alg)
		item, ok := member.(httpsfv.Item)
		want, isBytes := item.Value.([]byte)
		if !ok || !isBytes {
			return fmt.Errorf("%w: content-digest %s is not a byte sequence", ErrMalformed, alg)
		}
		if ok, _ := sumMatches(alg, want, body); !ok {
			return fmt.Errorf("%w: %s", ErrDigestMismatch, alg)
		}
		known++
	}
	if known == 0 {
		return fmt.Errorf("%w: no sha-256 or sha-512 content-digest", ErrUnsupportedAlgorithm)
	}
	return nil
}
