package federation

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/httpsig"
	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/outbound"
	"github.com/tuskhq/tusk/internal/store"
)

// DeliverArgs is the job that posts one activity to one inbox. The activity travels
// already serialized, so every inbox gets the same bytes however long the retries take
// and whatever changed meanwhile; as bytes (base64 in the job's JSON), not as embedded
// JSON, which PostgreSQL's jsonb would reorder. SignerID 0 is the instance actor.
type DeliverArgs struct {
	SignerID int64  `json:"signer_id,string"`
	Inbox    string `json:"inbox"`
	Activity []byte `json:"activity"`
}

// Kind names the job.
func (DeliverArgs) Kind() string { return "federation.deliver" }

// deliveryRetryWindow is how long a failing server is retried before the delivery is
// given up, as Mastodon's (about two days).
const deliveryRetryWindow = 48 * time.Hour

// deliveryOpts puts deliveries on the push queue with enough attempts to span the
// retry window at the configured backoff.
func (s *Service) deliveryOpts() *river.InsertOpts {
	return &river.InsertOpts{Queue: jobs.Push, MaxAttempts: deliveryAttempts(s.Config.Jobs.RetryBase)}
}

// deliveryAttempts is how many attempts the jobs' doubling backoff (first retry after
// base, capped at a day) needs to span the retry window.
func deliveryAttempts(base time.Duration) int {
	if base <= 0 {
		base = 15 * time.Second
	}
	attempts, waited, delay := 1, time.Duration(0), base
	for waited < deliveryRetryWindow {
		waited += delay
		delay = min(2*delay, 24*time.Hour)
		attempts++
	}
	return attempts
}

// maxDeliveryAnswer bounds how much of an inbox's answer is read: it is thrown away.
const maxDeliveryAnswer = 64 << 10

// ErrDeliveryRefused marks an inbox's answer that no retry will change (a 4xx other
// than 408 and 429: gone, not found, forbidden, unprocessable).
var ErrDeliveryRefused = errors.New("federation: delivery refused")

// Deliver posts body to inbox, signed with key as Mastodon signs: draft-cavage
// rsa-sha256 over (request-target) host date digest. A nil error means the inbox took
// it (2xx); ErrDeliveryRefused wraps answers not worth retrying; any other error
// (5xx, 408, 429, a timeout, a refused connection) may pass with time.
func (s *Service) Deliver(ctx context.Context, inbox string, body []byte, key *LocalKey) error {
	header, err := s.signedPostHeader(ctx, inbox, body, key)
	if err != nil {
		return err
	}
	resp, err := s.Client.Do(ctx, http.MethodPost, inbox, header, bytes.NewReader(body), maxDeliveryAnswer)
	if err != nil {
		return fmt.Errorf("federation: deliver to %s: %w", inbox, err)
	}
	return deliveryOutcome(inbox, resp.Status)
}

func deliveryOutcome(inbox string, status int) error {
	switch {
	case status >= 200 && status < 300:
		return nil
	case status == http.StatusRequestTimeout || status == http.StatusTooManyRequests || status >= 500:
		return fmt.Errorf("federation: deliver to %s: status %d", inbox, status)
	}
	return fmt.Errorf("%w: %s answered %d", ErrDeliveryRefused, inbox, status)
}

// signedPostHeader makes the headers of a signed POST of body to inbox.
func (s *Service) signedPostHeader(ctx context.Context, inbox string, body []byte, key *LocalKey) (http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, inbox, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", outbound.ErrBadURL, err)
	}
	req.Header.Set("Content-Type", ContentType)
	if err := httpsig.SignRequest(req, body, key.ID, key.Private, s.now()); err != nil {
		return nil, fmt.Errorf("federation: sign delivery to %s: %w", inbox, err)
	}
	return req.Header, nil
}

// permanent reports whether a failed delivery can never succeed: the inbox refused it,
// or its address is one tusk will not connect to.
func permanent(err error) bool {
	return errors.Is(err, ErrDeliveryRefused) || errors.Is(err, outbound.ErrForbiddenAddress) ||
		errors.Is(err, outbound.ErrBadURL) || errors.Is(err, outbound.ErrBadHeader) ||
		errors.Is(err, outbound.ErrTooManyRedirects)
}

type deliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	s *Service
}

// Work sends one delivery. A signer deleted meanwhile drops it; a permanent failure
// cancels it (no retry); any other failure is retried with the jobs' backoff.
func (w *deliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	key, err := w.s.signerKey(ctx, job.Args.SignerID)
	if errors.Is(err, store.ErrNotFound) {
		return river.JobCancel(fmt.Errorf("federation: signer %d is gone: %w", job.Args.SignerID, err))
	}
	if err != nil {
		return err
	}
	err = w.s.Deliver(ctx, job.Args.Inbox, job.Args.Activity, key)
	if err != nil && permanent(err) {
		return river.JobCancel(err)
	}
	return err
}

// signerKey is the key of a local account, or of the instance actor for id 0.
func (s *Service) signerKey(ctx context.Context, accountID int64) (*LocalKey, error) {
	if accountID == 0 {
		return s.Keys.Instance(ctx)
	}
	a, err := s.Store.AccountByID(ctx, accountID)
	if err != nil {
		return nil, err
	}
	return s.Keys.Account(ctx, a)
}

// registerOutboundJobs adds the workers of deliveries and of actor updates.
func (s *Service) registerOutboundJobs(reg *jobs.Registry) {
	jobs.Register(reg, &deliverWorker{s: s})
	jobs.Register(reg, &updateActorWorker{s: s})
}
