// Package webpushtest plays the subscriber's side of Web Push for tests: it holds the
// keys a browser would, and checks and decrypts what a push service would receive.
package webpushtest

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/webpush"
)

var b64 = base64.RawURLEncoding

// Receiver is one browser's push subscription keys.
type Receiver struct {
	key  *ecdh.PrivateKey
	auth []byte
}

// NewReceiver makes fresh subscription keys.
func NewReceiver() *Receiver {
	k, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	auth := make([]byte, 16)
	rand.Read(auth)
	return &Receiver{key: k, auth: auth}
}

// P256DH and Auth are the keys as a browser's PushSubscription.toJSON() gives them.
func (r *Receiver) P256DH() string { return b64.EncodeToString(r.key.PublicKey().Bytes()) }

// Auth is the auth secret, base64url.
func (r *Receiver) Auth() string { return b64.EncodeToString(r.auth) }

// Subscription is the subscription for endpoint.
func (r *Receiver) Subscription(endpoint string, standard bool) webpush.Subscription {
	return webpush.Subscription{Endpoint: endpoint, P256DH: r.P256DH(), Auth: r.Auth(), Standard: standard}
}

// Open checks a delivered request's VAPID signature against serverKey (base64) and the
// audience, and decrypts its body, whichever content encoding it uses.
func (r *Receiver) Open(h http.Header, body []byte, serverKey, audience string) ([]byte, error) {
	switch h.Get("Content-Encoding") {
	case "aes128gcm":
		token, key, ok := strings.Cut(strings.TrimPrefix(h.Get("Authorization"), "vapid t="), ", k=")
		if !ok || key != strings.TrimRight(b64url(serverKey), "=") {
			return nil, fmt.Errorf("authorization %q does not carry the server key", h.Get("Authorization"))
		}
		if err := verifyJWT(token, serverKey, audience); err != nil {
			return nil, err
		}
		return r.openStandard(body)
	case "aesgcm":
		if err := verifyJWT(strings.TrimPrefix(h.Get("Authorization"), "WebPush "), serverKey, audience); err != nil {
			return nil, err
		}
		return r.openLegacy(h, body)
	}
	return nil, fmt.Errorf("unknown content encoding %q", h.Get("Content-Encoding"))
}

func b64url(s string) string { return strings.NewReplacer("+", "-", "/", "_").Replace(s) }

func (r *Receiver) openStandard(body []byte) ([]byte, error) {
	if len(body) < 21 || len(body) < 21+int(body[20]) {
		return nil, errors.New("body shorter than its header")
	}
	salt, idlen := body[:16], int(body[20])
	if rs := binary.BigEndian.Uint32(body[16:20]); rs < 18 {
		return nil, fmt.Errorf("record size %d", rs)
	}
	serverPublic, record := body[21:21+idlen], body[21+idlen:]
	secret, err := r.secret(serverPublic)
	if err != nil {
		return nil, err
	}
	ikm := key(secret, r.auth, "WebPush: info\x00"+string(r.key.PublicKey().Bytes())+string(serverPublic), 32)
	plain, err := open(key(ikm, salt, "Content-Encoding: aes128gcm\x00", 16), key(ikm, salt, "Content-Encoding: nonce\x00", 12), record)
	if err != nil {
		return nil, err
	}
	end := strings.LastIndexByte(string(plain), 0x02) // the delimiter, then zero padding
	if end < 0 || strings.Trim(string(plain[end+1:]), "\x00") != "" {
		return nil, errors.New("record lacks the final-record delimiter")
	}
	return plain[:end], nil
}

func (r *Receiver) openLegacy(h http.Header, body []byte) ([]byte, error) {
	salt, err := b64.DecodeString(strings.TrimPrefix(h.Get("Encryption"), "salt="))
	if err != nil {
		return nil, fmt.Errorf("encryption header %q", h.Get("Encryption"))
	}
	var dh string
	for _, part := range strings.Split(h.Get("Crypto-Key"), ";") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(part), "dh="); ok {
			dh = v
		}
	}
	serverPublic, err := b64.DecodeString(dh)
	if err != nil || dh == "" {
		return nil, fmt.Errorf("crypto-key header %q", h.Get("Crypto-Key"))
	}
	secret, err := r.secret(serverPublic)
	if err != nil {
		return nil, err
	}
	ua := r.key.PublicKey().Bytes()
	ctx := "P-256\x00" + string([]byte{0, byte(len(ua))}) + string(ua) + string([]byte{0, byte(len(serverPublic))}) + string(serverPublic)
	ikm := key(secret, r.auth, "Content-Encoding: auth\x00", 32)
	plain, err := open(key(ikm, salt, "Content-Encoding: aesgcm\x00"+ctx, 16), key(ikm, salt, "Content-Encoding: nonce\x00"+ctx, 12), body)
	if err != nil || len(plain) < 2 {
		return nil, fmt.Errorf("decrypt: %v", err)
	}
	pad := int(binary.BigEndian.Uint16(plain))
	return plain[2+pad:], nil
}

func (r *Receiver) secret(serverPublic []byte) ([]byte, error) {
	pub, err := ecdh.P256().NewPublicKey(serverPublic)
	if err != nil {
		return nil, err
	}
	return r.key.ECDH(pub)
}

func key(secret, salt []byte, info string, n int) []byte {
	k, err := hkdf.Key(sha256.New, secret, salt, info, n)
	if err != nil {
		panic(err)
	}
	return k
}

func open(cek, nonce, ciphertext []byte) ([]byte, error) {
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return gcm.Open(nil, nonce, ciphertext, nil)
}

// verifyJWT checks an ES256 VAPID token: signature, audience and a future expiry.
func verifyJWT(token, serverKey, audience string) error {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return fmt.Errorf("malformed token %q", token)
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(b64url(serverKey), "="))
	if err != nil || len(raw) != 65 {
		return errors.New("bad server key")
	}
	pub := &ecdsa.PublicKey{Curve: elliptic.P256(), X: new(big.Int).SetBytes(raw[1:33]), Y: new(big.Int).SetBytes(raw[33:])}
	sig, err := b64.DecodeString(parts[2])
	if err != nil || len(sig) != 64 {
		return errors.New("bad signature encoding")
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if !ecdsa.Verify(pub, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		return errors.New("VAPID signature does not verify")
	}
	claims, err := b64.DecodeString(parts[1])
	if err != nil {
		return err
	}
	var c struct {
		Aud string `json:"aud"`
		Exp int64  `json:"exp"`
		Sub string `json:"sub"`
	}
	if err := json.Unmarshal(claims, &c); err != nil {
		return err
	}
	if c.Aud != audience || c.Exp < time.Now().Unix() || c.Exp > time.Now().Add(24*time.Hour).Unix() || c.Sub == "" {
		return fmt.Errorf("claims %+v; want aud %s, an expiry within a day, a subject", c, audience)
	}
	return nil
}

// ReceiverFor is a receiver with given keys, for clients that make their own.
func ReceiverFor(key *ecdh.PrivateKey, auth []byte) *Receiver { return &Receiver{key: key, auth: auth} }
