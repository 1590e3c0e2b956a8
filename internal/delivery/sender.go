package delivery

import (
	"bytes"
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/tuskhq/tusk/internal/httpsig"
	"github.com/tuskhq/tusk/internal/outbound"
	"github.com/tuskhq/tusk/internal/store"
)

// KeyFunc returns the key id and private key a local account (0: the instance actor)
// signs with.
type KeyFunc func(ctx context.Context, signerAccountID int64) (keyID string, key *rsa.PrivateKey, err error)

// ContentType is what deliveries are posted as.
const ContentType = "application/activity+json"

// ErrUnsendable marks a delivery that can never be sent, through no fault of its host:
// its signer is gone, or its inbox is an address or URL the outbound guard refuses. It
// is given up at once and leaves the host's health alone.
var ErrUnsendable = errors.New("delivery: unsendable")

// HTTPSender signs deliveries as Mastodon does (draft-cavage, rsa-sha256 over
// (request-target), host, date and digest, with a SHA-256 Digest) and posts them
// through the guarded outbound client, which reuses connections per host. It is the
// one place tusk signs and posts an activity.
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
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w: signer %d is gone: %w", ErrUnsendable, signerAccountID, err)
	}
	if err != nil {
		return fmt.Errorf("delivery: key of account %d: %w", signerAccountID, err)
	}
	now := time.Now
	if h.Now != nil {
		now = h.Now
	}
	header, err := SignedHeader(inbox, body, keyID, key, now())
	if err != nil {
		return err
	}
	resp, err := h.Client.Do(ctx, http.MethodPost, inbox, header, bytes.NewReader(body), MaxAnswer)
	if guardRefused(err) {
		return fmt.Errorf("%w: %w", ErrUnsendable, err)
	}
	if err != nil {
		return err
	}
	if resp.Status < 200 || resp.Status > 299 {
		return &StatusError{Inbox: inbox, Code: resp.Status}
	}
	return nil
}

// SignedHeader makes the headers of a POST of body to inbox signed with key at now.
func SignedHeader(inbox string, body []byte, keyID string, key *rsa.PrivateKey, now time.Time) (http.Header, error) {
	req, err := http.NewRequest(http.MethodPost, inbox, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsendable, err)
	}
	req.Header.Set("Content-Type", ContentType)
	if err := httpsig.SignRequest(req, body, keyID, key, now); err != nil {
		return nil, fmt.Errorf("delivery: sign for %s: %w", inbox, err)
	}
	return req.Header, nil
}

// guardRefused reports whether the outbound client refused to send at all: no retry
// changes an address or URL it will not connect to. A redirect loop is the host's
// doing, so it counts as the host's failure instead.
func guardRefused(err error) bool {
	return errors.Is(err, outbound.ErrForbiddenAddress) || errors.Is(err, outbound.ErrBadURL) ||
		errors.Is(err, outbound.ErrBadHeader)
}
