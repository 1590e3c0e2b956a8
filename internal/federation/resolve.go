package federation

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// ErrNotResolved: a handle or URL does not lead to an account or status we can trust.
var ErrNotResolved = errors.New("federation: not resolved")

type jrd struct {
	Subject string `json:"subject"`
	Links   []struct {
		Rel  string `json:"rel"`
		Type string `json:"type"`
		Href string `json:"href"`
	} `json:"links"`
}

// ResolveHandle finds user@domain through WebFinger and fetches its actor. As Mastodon
// checks, the actor found must name the same username and live where the handle says,
// or its own WebFinger must answer for it.
func (s *Service) ResolveHandle(ctx context.Context, username, domain string) (*model.Account, error) {
	domain = strings.ToLower(domain)
	if a, err := s.Store.AccountByHandle(ctx, username, domain); err == nil {
		return a, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if err := s.refuseBlocked(ctx, "https://"+domain+"/"); err != nil {
		return nil, err
	}
	actorURI, err := s.webfinger(ctx, domain, "acct:"+username+"@"+domain)
	if err != nil {
		return nil, err
	}
	a, err := s.FetchActor(ctx, actorURI)
	if err != nil {
		return nil, err
	}
	if !strings.EqualFold(a.Username, username) || a.Domain != domain {
		return nil, fmt.Errorf("%w: %s@%s leads to %s", ErrNotResolved, username, domain, a.Acct())
	}
	return a, nil
}

// webfinger asks domain about resource and returns its ActivityPub self link.
func (s *Service) webfinger(ctx context.Context, domain, resource string) (string, error) {
	scheme := "https"
	if strings.HasPrefix(s.URLs.Base, "http://") {
		scheme = "http" // an instance without TLS (tests, a private network) talks to peers alike
	}
	endpoint := scheme + "://" + domain + "/.well-known/webfinger?resource=" + url.QueryEscape(resource)
	var doc jrd
	if _, err := s.Client.GetJSON(ctx, endpoint, "application/jrd+json, application/json", &doc); err != nil {
		return "", err
	}
	for _, l := range doc.Links {
		if l.Rel == "self" && isAPContentType(l.Type) && httpURL(l.Href) != "" {
			return l.Href, nil
		}
	}
	return "", fmt.Errorf("%w: %s has no ActivityPub link", ErrNotResolved, resource)
}

// ResolveURL fetches what a URL names: a status (with its author) or an account.
func (s *Service) ResolveURL(ctx context.Context, raw string) (*model.Account, *model.Status, error) {
	if httpURL(raw) == "" {
		return nil, nil, fmt.Errorf("%w: %q", ErrNotResolved, raw)
	}
	if st, err := s.Store.StatusByURI(ctx, raw); err == nil {
		return nil, st, nil
	}
	if a, err := s.Store.AccountByURI(ctx, raw); err == nil {
		return a, nil, nil
	}
	d, err := s.fetchDoc(ctx, raw)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case isActorType(d.typ()):
		a, err := s.storeActor(ctx, d)
		return a, nil, err
	case isStatusType(d.typ()):
		st, err := s.fetchStatus(ctx, d.id(), 0)
		return nil, st, err
	}
	return nil, nil, fmt.Errorf("%w: %s is a %s", ErrNotResolved, raw, d.typ())
}

func isActorType(t string) bool {
	for _, a := range actorTypes {
		if a == t {
			return true
		}
	}
	return false
}

func isStatusType(t string) bool {
	for _, a := range statusTypes {
		if a == t {
			return true
		}
	}
	return false
}

// Resolve implements social.Resolver: "@user@domain", "user@domain" or a URL.
func (s *Service) Resolve(ctx context.Context, query string) (*model.Account, *model.Status, error) {
	q := strings.TrimSpace(query)
	if strings.HasPrefix(q, "https://") || strings.HasPrefix(q, "http://") {
		return s.ResolveURL(ctx, q)
	}
	username, domain, ok := strings.Cut(strings.TrimPrefix(q, "@"), "@")
	if !ok || username == "" || domain == "" || strings.ContainsAny(domain, "/?#@ ") {
		return nil, nil, fmt.Errorf("%w: %q", ErrNotResolved, query)
	}
	if strings.EqualFold(domain, s.Config.LocalDomain) || strings.EqualFold(domain, s.Config.WebDomain) {
		a, err := s.Store.AccountByHandle(ctx, username, "")
		return a, nil, err
	}
	a, err := s.ResolveHandle(ctx, username, domain)
	return a, nil, err
}
