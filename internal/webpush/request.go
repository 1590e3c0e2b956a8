package webpush

import (
	"bytes"
	"context"
	"crypto/ecdh"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Subscription is where and how one subscriber is reached, as the browser's
// PushSubscription gives it.
type Subscription struct {
	Endpoint string
	P256DH   string // the subscriber's public key, base64
	Auth     string // the subscriber's 16-byte secret, base64
	Standard bool   // RFC 8291 and 8292; false asks for the legacy drafts
}

// Validate reports what is wrong with a subscription a client sent.
func (s Subscription) Validate() error {
	u, err := url.Parse(s.Endpoint)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return errors.New("endpoint is not an http(s) URL")
	}
	key, err := decode(s.P256DH)
	if err != nil {
		return errors.New("keys.p256dh is not base64")
	}
	if _, err := ecdh.P256().NewPublicKey(key); err != nil {
		return errors.New("keys.p256dh is not a P-256 public key")
	}
	if auth, err := decode(s.Auth); err != nil || len(auth) != 16 {
		return errors.New("keys.auth is not 16 bytes of base64")
	}
	return nil
}

// Message is one push.
type Message struct {
	Payload []byte
	TTL     time.Duration // how long the push service may hold it for an offline device
	Urgency string        // RFC 8030: very-low, low, normal or high
	Subject string        // a contact for the push service's operator: mailto: or https: URL
}

// Request builds the encrypted, signed POST that delivers m to sub.
func (v *VAPID) Request(ctx context.Context, sub Subscription, m Message) (*http.Request, error) {
	if len(m.Payload) > MaxPayload {
		return nil, ErrTooLarge
	}
	if err := sub.Validate(); err != nil {
		return nil, err
	}
	p256dh, _ := decode(sub.P256DH)
	auth, _ := decode(sub.Auth)
	k, err := newKeys(p256dh, auth)
	if err != nil {
		return nil, err
	}
	endpoint, _ := url.Parse(sub.Endpoint)
	token, err := v.jwt(endpoint.Scheme+"://"+endpoint.Host, m.Subject, time.Now())
	if err != nil {
		return nil, err
	}
	var body []byte
	if sub.Standard {
		body, err = encryptStandard(k, m.Payload)
	} else {
		body, err = encryptLegacy(k, m.Payload)
	}
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, sub.Endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	v.setHeaders(req.Header, sub.Standard, k, token, m)
	return req, nil
}

// setHeaders names the encoding and signs the request, in the standard form or the
// legacy one (salt and key in headers, the older authorization scheme).
func (v *VAPID) setHeaders(h http.Header, standard bool, k *keys, token string, m Message) {
	h.Set("Content-Type", "application/octet-stream")
	h.Set("TTL", strconv.Itoa(int(m.TTL.Seconds())))
	if m.Urgency != "" {
		h.Set("Urgency", m.Urgency)
	}
	raw := base64.RawURLEncoding
	if standard {
		h.Set("Content-Encoding", "aes128gcm")
		h.Set("Authorization", "vapid t="+token+", k="+raw.EncodeToString(v.publicRaw))
		return
	}
	h.Set("Content-Encoding", "aesgcm")
	h.Set("Encryption", "salt="+raw.EncodeToString(k.salt))
	h.Set("Crypto-Key", "dh="+raw.EncodeToString(k.server.PublicKey().Bytes())+";p256ecdsa="+raw.EncodeToString(v.publicRaw))
	h.Set("Authorization", "WebPush "+token)
}
