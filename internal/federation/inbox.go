package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/tuskhq/tusk/internal/ap"
	"github.com/tuskhq/tusk/internal/httpsig"
	"github.com/tuskhq/tusk/internal/httpx"
)

// MaxInboxBody is the largest activity an inbox takes, as Mastodon's limit.
const MaxInboxBody = 1 << 20

// inboxRoutes registers the shared inbox, each account's inbox and the instance
// actor's: all three take the same activities, addressing decides who sees what.
func (s *Service) inboxRoutes(mux *http.ServeMux) {
	h := httpx.Serve(s.Log, s.postInbox)
	mux.Handle("POST /inbox", h)
	mux.Handle("POST /users/{username}/inbox", h)
	mux.Handle("POST /actor/inbox", h)
}

func unauthorized(format string, args ...any) error {
	return httpx.Errorf(http.StatusUnauthorized, format, args...)
}

// postInbox checks a delivery in the order that keeps junk cheapest: size, JSON, the
// sender's domain, the signature, that the signer is the actor, that embedded objects
// are the actor's; then it remembers the activity id and queues the work.
func (s *Service) postInbox(w http.ResponseWriter, r *http.Request) error {
	if name := r.PathValue("username"); name != "" {
		if _, err := s.Store.AccountByHandle(r.Context(), name, ""); err != nil {
			return httpx.ErrNotFound
		}
	}
	body, err := readInboxBody(r)
	if err != nil {
		return err
	}
	act, err := ap.DecodeActivity(body)
	if err != nil {
		return decodeError(err)
	}
	if drop, err := s.droppedSender(r.Context(), act.Actor); err != nil || drop {
		return acceptedOr(w, err)
	}
	accountID, err := s.verifyDelivery(r, body, act)
	if err != nil {
		return err
	}
	s.markAlive(r.Context(), act.Actor)
	if err := s.enqueueIngress(r.Context(), act.ID, accountID, body); err != nil {
		return err
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}

// decodeError answers a body that is not JSON with 400 and an activity ap refuses
// (no actor, no type, an id that is not a URL) with 422, as Mastodon does.
func decodeError(err error) error {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &syntax) || errors.As(err, &typeErr) {
		return &httpx.Error{Code: http.StatusBadRequest, Msg: "Error parsing JSON", Err: err}
	}
	return &httpx.Error{Code: http.StatusUnprocessableEntity, Msg: "Activity is invalid", Err: err}
}

func acceptedOr(w http.ResponseWriter, err error) error {
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}

// readInboxBody reads at most MaxInboxBody bytes; one more byte is a 413.
func readInboxBody(r *http.Request) ([]byte, error) {
	if r.ContentLength > MaxInboxBody {
		return nil, httpx.Errorf(http.StatusRequestEntityTooLarge, "Request body is larger than %d bytes", MaxInboxBody)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxInboxBody+1))
	if err != nil {
		return nil, httpx.BadRequest("Error reading request body")
	}
	if len(body) > MaxInboxBody {
		return nil, httpx.Errorf(http.StatusRequestEntityTooLarge, "Request body is larger than %d bytes", MaxInboxBody)
	}
	return body, nil
}

// droppedSender reports deliveries from a suspended domain: they are answered 202 and
// dropped unread, as Mastodon drops them, so the sender stops retrying and we fetch
// nothing from there.
func (s *Service) droppedSender(ctx context.Context, actorURI string) (bool, error) {
	policy, err := s.domainPolicy(ctx, hostOf(actorURI))
	return policy.Suspended(), err
}

// verifyDelivery checks the signature and that its key speaks for the activity's
// actor, and returns the actor's account id.
func (s *Service) verifyDelivery(r *http.Request, body []byte, act *ap.Activity) (int64, error) {
	actorURI := act.Actor
	res, err := s.verifier().Verify(r.Context(), r, body)
	if err != nil {
		if errors.Is(err, httpsig.ErrKeyNotFound) && act.Type == "Delete" && act.Object != nil && act.Object.IRI == actorURI {
			// An actor deleting itself is gone before its Delete arrives: nothing to verify
			// against and nothing of it here to remove, as far as we can know.
			return 0, &httpx.Error{Code: http.StatusAccepted, Msg: "Accepted", Err: err}
		}
		return 0, &httpx.Error{Code: http.StatusUnauthorized, Msg: signatureMessage(err), Err: err}
	}
	if res.Owner != actorURI {
		return 0, unauthorized("Signed by %s, not by the activity's actor", res.Owner)
	}
	if err := checkEmbeddedOrigin(act); err != nil {
		return 0, &httpx.Error{Code: http.StatusUnauthorized, Msg: "Embedded object is not on the actor's host", Err: err}
	}
	signer, err := s.Store.SignerByURI(r.Context(), actorURI)
	if err != nil {
		return 0, fmt.Errorf("federation: signer %s: %w", actorURI, err)
	}
	if signer.Suspended {
		return 0, unauthorized("Account is suspended")
	}
	return signer.AccountID, nil
}

func signatureMessage(err error) string {
	switch {
	case errors.Is(err, httpsig.ErrNoSignature):
		return "Request not signed"
	case errors.Is(err, httpsig.ErrExpired), errors.Is(err, httpsig.ErrFuture):
		return "Signed request date outside acceptable time window"
	case errors.Is(err, httpsig.ErrKeyNotFound):
		return "Could not find the signing key"
	}
	return "Verification failed"
}

// checkEmbeddedOrigin refuses a Create, Update or Delete whose object is on another
// server than its actor: Mastodon trusts an object's id only from its own host. That
// an embedded object is attributed to the actor is checked when it is decoded, in
// processing. An Announce names someone else's status, and an Accept or Undo embeds
// our own Follow, so those are looked at by id in processing instead.
func checkEmbeddedOrigin(act *ap.Activity) error {
	switch act.Type {
	case "Create", "Update", "Delete":
	default:
		return nil
	}
	obj := act.Object
	switch {
	case obj == nil:
		return fmt.Errorf("%w: %s without an object", ErrOriginMismatch, act.Type)
	case !obj.Embedded() && act.Type == "Delete":
		return nil // a Delete of a bare id removes only what the actor owns
	case !ap.SameOrigin(obj.IRI, act.Actor):
		return fmt.Errorf("%w: %s of %q by %s", ErrOriginMismatch, act.Type, obj.IRI, act.Actor)
	}
	return nil
}

// markAlive tells delivery that the signer's host works; failing to is only logged.
func (s *Service) markAlive(ctx context.Context, actorURI string) {
	if s.MarkAlive == nil {
		return
	}
	if err := s.MarkAlive(ctx, actorURI); err != nil && s.Log != nil {
		s.Log.Warn("federation: mark host alive", "actor", actorURI, "err", err)
	}
}
