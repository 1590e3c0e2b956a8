// Package webpush speaks the Web Push protocol to push services: VAPID keys and the
// signed JWT that identifies this server (RFC 8292), and the payload encryption
// (RFC 8291, "aes128gcm"). Mastodon clients may also ask for the legacy form their
// older libraries expect ("aesgcm", draft 4 of RFC 8291 with the first VAPID draft),
// which Request builds too. It builds requests; sending them is the caller's job.
package webpush

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// VAPID is the server's key pair, identifying it to push services.
type VAPID struct {
	key       *ecdsa.PrivateKey
	publicRaw []byte // the uncompressed P-256 point, 65 bytes
}

// GenerateKeys makes a new VAPID key pair, encoded as Mastodon's VAPID_PRIVATE_KEY and
// VAPID_PUBLIC_KEY are: URL-safe base64 of the private scalar and the uncompressed point.
func GenerateKeys() (private, public string, err error) {
	k, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		return "", "", err
	}
	return base64.URLEncoding.EncodeToString(k.Bytes()), base64.URLEncoding.EncodeToString(k.PublicKey().Bytes()), nil
}

// ParseKeys reads an encoded key pair and checks that the halves belong together.
func ParseKeys(private, public string) (*VAPID, error) {
	d, err := decode(private)
	if err != nil {
		return nil, fmt.Errorf("webpush: VAPID private key: %w", err)
	}
	k, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), d)
	if err != nil {
		return nil, fmt.Errorf("webpush: VAPID private key: %w", err)
	}
	pub, err := k.PublicKey.Bytes()
	if err != nil {
		return nil, err
	}
	if public != "" {
		given, err := decode(public)
		if err != nil || string(given) != string(pub) {
			return nil, errors.New("webpush: VAPID public key does not match the private key")
		}
	}
	return &VAPID{key: k, publicRaw: pub}, nil
}

// PublicKey is the public key as clients pass it to the browser's PushManager.
func (v *VAPID) PublicKey() string { return base64.URLEncoding.EncodeToString(v.publicRaw) }

// decode accepts URL-safe or standard base64, padded or not, as keys come in all four.
func decode(s string) ([]byte, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "=")
	s = strings.NewReplacer("+", "-", "/", "_").Replace(s)
	return base64.RawURLEncoding.DecodeString(s)
}

// jwt signs the claims RFC 8292 asks for: the push service's origin, an expiry within a
// day, and a contact for the push service's operator.
func (v *VAPID) jwt(audience, subject string, now time.Time) (string, error) {
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"typ":"JWT","alg":"ES256"}`))
	claims, err := json.Marshal(map[string]any{"aud": audience, "exp": now.Add(12 * time.Hour).Unix(), "sub": subject})
	if err != nil {
		return "", err
	}
	input := header + "." + base64.RawURLEncoding.EncodeToString(claims)
	digest := sha256.Sum256([]byte(input))
	r, s, err := ecdsa.Sign(rand.Reader, v.key, digest[:])
	if err != nil {
		return "", err
	}
	sig := make([]byte, 64) // JWS wants r and s as fixed 32-byte halves, not ASN.1
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return input + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}
