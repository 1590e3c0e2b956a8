package federation

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/tuskhq/tusk/internal/httpsig"
	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

// ErrFetcherRefused: the signer of a fetch is suspended, or on a suspended domain.
var ErrFetcherRefused = errors.New("federation: fetcher refused")

// fetcherKey carries the verified signer of a GET from RequireSignedFetch to the
// document handler, so the signature is checked once.
type fetcherKey struct{}

type fetcherResult struct {
	account *model.Account
	err     error
}

// SignedFetcher returns the remote account whose valid HTTP signature a GET of one of
// our documents carries. An unsigned request fails with an error wrapping
// httpsig.ErrNoSignature; a signature that does not verify, with the verifier's error;
// a signer that is suspended or on a suspended domain, with ErrFetcherRefused.
func (s *Service) SignedFetcher(r *http.Request) (*model.Account, error) {
	if res, ok := r.Context().Value(fetcherKey{}).(*fetcherResult); ok {
		return res.account, res.err
	}
	return s.verifyFetch(r)
}

func (s *Service) verifyFetch(r *http.Request) (*model.Account, error) {
	ctx := r.Context()
	res, err := s.verifier().Verify(ctx, r, nil)
	if err != nil {
		return nil, fmt.Errorf("federation: signed fetch: %w", err)
	}
	acct, err := s.Store.AccountByURI(ctx, res.Owner)
	if err != nil {
		return nil, fmt.Errorf("federation: signed fetch by %s: %w", res.Owner, err)
	}
	if acct.SuspendedAt != nil {
		return nil, fmt.Errorf("%w: %s is suspended", ErrFetcherRefused, acct.URI)
	}
	if policy, err := s.domainPolicy(ctx, acct.Domain); err != nil || policy.Suspended() {
		if err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %s is blocked", ErrFetcherRefused, acct.Domain)
	}
	return acct, nil
}

// RequireSignedFetch guards the handlers of this instance's ActivityPub documents
// (actors, statuses, collections). With AUTHORIZED_FETCH on, a request for an
// ActivityPub document must carry a valid signature (401 otherwise), except for the
// instance actor, which servers fetch to verify our own signed fetches. When it is
// required the signer is verified once and handed on for SignedFetcher; otherwise
// SignedFetcher verifies only if a handler asks. Responses vary by Signature so caches
// do not serve one fetcher's answer to another.
func (s *Service) RequireSignedFetch(h http.Handler) http.Handler {
	return httpx.Serve(s.Log, func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Add("Vary", "Signature")
		required := s.Config.Federation.AuthorizedFetch && wantsActivityPub(r) && r.URL.Path != s.instanceActorPath()
		if !required {
			// Verified later, and only when a handler asks who fetches (a private
			// status): verifying every signed fetch up front makes two servers that
			// sign their fetches fetch each other's keys without end.
			h.ServeHTTP(w, r)
			return nil
		}
		acct, err := s.verifyFetch(r)
		if required && err != nil {
			return fetchRefusal(err)
		}
		ctx := context.WithValue(r.Context(), fetcherKey{}, &fetcherResult{account: acct, err: err})
		h.ServeHTTP(w, r.WithContext(ctx))
		return nil
	})
}

// fetchRefusal is the answer to a fetch that needed a signature and had no valid one.
func fetchRefusal(err error) error {
	switch {
	case errors.Is(err, ErrFetcherRefused):
		return &httpx.Error{Code: http.StatusForbidden, Msg: "Forbidden", Err: err}
	case errors.Is(err, httpsig.ErrNoSignature):
		return &httpx.Error{Code: http.StatusUnauthorized, Msg: "Request not signed", Err: err}
	}
	return &httpx.Error{Code: http.StatusUnauthorized, Msg: signatureMessage(err), Err: err}
}

func (s *Service) instanceActorPath() string {
	return strings.TrimPrefix(s.URLs.InstanceActor(), s.URLs.Base)
}

// wantsActivityPub reports whether the request asks for an ActivityPub document rather
// than a page: browsers get the HTML page whatever the mode.
func wantsActivityPub(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		if mt == "application/activity+json" || mt == "application/ld+json" {
			return true
		}
	}
	return false
}

// FetchableStatus returns a local status for the document handler when the fetch may
// see it: public and unlisted ones to anyone, followers-only ones to a signed fetch by
// a follower of the author, direct ones to a signed fetch by an account they mention —
// the same visibility rule as every other path (social.VisibleStatus). A signature
// that does not verify counts as none, as Mastodon treats it when signatures are not
// required (with AUTHORIZED_FETCH on, RequireSignedFetch has refused it already).
// Anything the fetch may not see is the 404 of a status that does not exist.
func (s *Service) FetchableStatus(r *http.Request, id int64) (*model.Status, error) {
	fetcher, err := s.SignedFetcher(r)
	if err != nil && !errors.Is(err, httpsig.ErrNoSignature) {
		s.Log.InfoContext(r.Context(), "federation: fetch signature not accepted", "err", err)
	}
	st, err := s.Social.VisibleStatus(r.Context(), fetcher, id)
	if errors.Is(err, social.ErrNotFound) {
		return nil, httpx.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if !st.Local {
		return nil, httpx.ErrNotFound // we serve only our own documents
	}
	return st, nil
}
