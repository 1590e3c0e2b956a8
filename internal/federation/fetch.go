package federation

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/tuskhq/tusk/internal/httpsig"
	"github.com/tuskhq/tusk/internal/outbound"
)

// acceptAP is the Accept header of every ActivityPub fetch, as Mastodon sends it.
const acceptAP = `application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"`

// Reasons a fetched document is refused.
var (
	ErrNotActivityPub = errors.New("federation: response is not an ActivityPub document")
	ErrOriginMismatch = errors.New("federation: document id is not on the host it came from")
	ErrFetchStatus    = errors.New("federation: fetch failed")
	ErrBlockedDomain  = errors.New("federation: domain is blocked")
)

// fetchDoc GETs an ActivityPub document, signed as the instance actor. The document
// is trusted only when it came with an ActivityPub content type and its id is on the
// host the body was finally read from (after redirects), so a server cannot hand us
// documents in another server's name.
func (s *Service) fetchDoc(ctx context.Context, uri string) (doc, error) {
	if err := s.refuseBlocked(ctx, uri); err != nil {
		return nil, err
	}
	header, err := s.signedGetHeader(ctx, uri)
	if err != nil {
		return nil, err
	}
	resp, err := s.Client.Get(ctx, uri, header, outbound.MaxJSON)
	if err != nil {
		return nil, err
	}
	if resp.Status != http.StatusOK {
		return nil, fmt.Errorf("%w: GET %s: status %d", ErrFetchStatus, uri, resp.Status)
	}
	if !isAPContentType(resp.Header.Get("Content-Type")) {
		return nil, fmt.Errorf("%w: GET %s: %q", ErrNotActivityPub, uri, resp.Header.Get("Content-Type"))
	}
	d, err := parseDoc(resp.Body)
	if err != nil {
		return nil, err
	}
	if hostOf(d.id()) == "" || hostOf(d.id()) != strings.ToLower(resp.URL.Host) {
		return nil, fmt.Errorf("%w: %q read from %s", ErrOriginMismatch, d.id(), resp.URL.Host)
	}
	return d, nil
}

// signedGetHeader signs a GET of uri with the instance actor's key: servers running
// with authorized fetch answer nothing else.
func (s *Service) signedGetHeader(ctx context.Context, uri string) (http.Header, error) {
	key, err := s.Keys.Instance(ctx)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, uri, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", outbound.ErrBadURL, err)
	}
	if err := httpsig.SignRequest(req, nil, key.ID, key.Private, s.now()); err != nil {
		return nil, fmt.Errorf("federation: sign fetch of %s: %w", uri, err)
	}
	req.Header.Set("Accept", acceptAP)
	return req.Header, nil
}

// isAPContentType accepts application/activity+json and application/ld+json with the
// ActivityStreams profile, as Mastodon does.
func isAPContentType(v string) bool {
	mt, params, err := mime.ParseMediaType(v)
	if err != nil {
		return false
	}
	switch mt {
	case "application/activity+json":
		return true
	case "application/ld+json":
		return strings.Contains(params["profile"], "https://www.w3.org/ns/activitystreams")
	}
	return false
}

// refuseBlocked stops any contact with a suspended domain.
func (s *Service) refuseBlocked(ctx context.Context, uri string) error {
	host := hostOf(uri)
	if host == "" {
		return fmt.Errorf("%w: %q", outbound.ErrBadURL, uri)
	}
	policy, err := s.Store.DomainPolicyFor(ctx, host)
	if err != nil {
		return err
	}
	if policy.Suspended() {
		return fmt.Errorf("%w: %s", ErrBlockedDomain, host)
	}
	return nil
}

// FetchObject fetches an ActivityPub document from its origin, signed as the instance
// actor, and returns it once it passed the content type and origin checks.
func (s *Service) FetchObject(ctx context.Context, uri string) (map[string]any, error) {
	d, err := s.fetchDoc(ctx, uri)
	return d, err
}
