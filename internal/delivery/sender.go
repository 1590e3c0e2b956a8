package delivery

import (
	"bytes"
	"context"
	"crypto/rsa"
	"fmt"
	"net/http"
	"time"

	"github.com/tuskhq/tusk/internal/httpsig"
	"github.com/tuskhq/tusk/internal/outbound"
)

// KeyFunc returns the key id and private key a local account (0: the instance actor)
// signs with.
type KeyFunc func(ctx context.Context, signerAccountID int64) (keyID string, key *rsa.PrivateKey, err error)

// HTTPSender signs deliveries as Mastodon does (draft-cavage, rsa-sha256 over
// (request-target), host, date and digest) and posts them through the guarded
// outbound client, which reuses connections per host.
type HTTPSender struct {
	Client *outbound.Client
	Keys   KeyFunc
	Now    func() time.Time // the clock; nil is time.Now
}

// MaxAnswer caps the answer to a delivery read back: inboxes answer with nothing much,
// and a host sending more is misbehaving (counted as its failure).
const MaxAnswer = 64 << 10

// Send is a SendFunc.
func (h *HTTPSender) Send(ctx context.Context, inbox string, body []byte, signerAccountID int64) error {
	keyID, key, err := h.Keys(ctx, signerAccountID)
	if err != nil {
		return fmt.Errorf("delivery: key of account %d: %w", signerAccountID, err)
	}
	req, err := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("delivery: %w", err)
	}
	req.Header.Set("Content-Type", `application/activity+json`)
	now := time.Now
	if h.Now != nil {
		now = h.Now
	}
	if err := httpsig.SignRequest(req, body, keyID, key, now()); err != nil {
		return err
	}
	resp, err := h.Client.Do(ctx, http.MethodPost, inbox, req.Header, bytes.NewReader(body), MaxAnswer)
	if err != nil {
		return err
	}
	if resp.Status < 200 || resp.Status > 299 {
		return &StatusError{Inbox: inbox, Code: resp.Status}
	}
	return nil
}
