package federation

import (
	"context"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// docHandler answers a GET for an ActivityPub document with the document to send.
type docHandler func(r *http.Request) (any, error)

// documentRoutes registers discovery, the documents other servers fetch, and the HTML
// pages browsers get at the same addresses.
func (s *Service) documentRoutes(mux *http.ServeMux) {
	s.discoveryRoutes(mux)
	s.handleNegotiated(mux, "GET /users/{username}", s.actorDocument, s.redirectToProfile)
	s.handleAP(mux, "GET /actor", s.instanceActorDocument)
	s.handleNegotiated(mux, "GET /users/{username}/statuses/{id}", s.statusDocument, s.redirectToStatusPage)
	s.handleAP(mux, "GET /users/{username}/statuses/{id}/activity", s.activityDocument)
	s.handleAP(mux, "GET /users/{username}/statuses/{id}/replies", s.repliesDocument)
	s.handleAP(mux, "GET /users/{username}/outbox", s.outboxDocument)
	s.handleAP(mux, "GET /users/{username}/followers", s.followersDocument)
	s.handleAP(mux, "GET /users/{username}/following", s.followingDocument)
	s.handleAP(mux, "GET /users/{username}/collections/featured", s.featuredDocument)
	s.handleAP(mux, "GET /users/{username}/collections/tags", s.featuredTagsDocument)
	s.handleAP(mux, "GET /emojis/{id}", s.emojiDocument)
	s.pageRoutes(mux)
}

// handleAP registers a route that always answers with an ActivityPub document. Every
// document route goes through here (or handleNegotiated), so every one is behind
// RequireSignedFetch: AUTHORIZED_FETCH and the signer a private status needs.
func (s *Service) handleAP(mux *http.ServeMux, pattern string, h docHandler) {
	mux.Handle(pattern, s.RequireSignedFetch(httpx.Serve(s.Log, func(w http.ResponseWriter, r *http.Request) error {
		return s.serveAP(w, r, h)
	})))
}

// handleNegotiated registers a route that answers with a document for ActivityPub
// clients and with page for browsers.
func (s *Service) handleNegotiated(mux *http.ServeMux, pattern string, h docHandler, page httpx.Handler) {
	negotiated := s.RequireSignedFetch(httpx.Serve(s.Log, func(w http.ResponseWriter, r *http.Request) error {
		if wantsActivityJSON(r) {
			return s.serveAP(w, r, h)
		}
		return page(w, r)
	}))
	mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept") // first: the answer's kind depends on it most
		negotiated.ServeHTTP(w, r)
	}))
}

// serveAP renders one document with ActivityPub's content type.
func (s *Service) serveAP(w http.ResponseWriter, r *http.Request, h docHandler) error {
	doc, err := h(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", ContentType+"; charset=utf-8")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // content is HTML; escaping it would only make it unreadable
	return enc.Encode(doc)
}

// wantsActivityJSON reports whether the request's Accept header prefers an ActivityPub
// type (application/activity+json, or application/ld+json with or without the
// ActivityStreams profile) to HTML; at equal q-values the document wins, as servers
// that list both want it.
func wantsActivityJSON(r *http.Request) bool {
	bestAP, bestHTML := -1.0, -1.0
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, err := strconv.ParseFloat(params["q"], 64); err == nil {
			q = v
		}
		switch {
		case mt == "application/activity+json" || mt == "application/ld+json":
			if q > bestAP {
				bestAP = q
			}
		case mt == "text/html" && q > bestHTML:
			bestHTML = q
		}
	}
	return bestAP > 0 && bestAP >= bestHTML
}

// localAccount loads the local account a route's {username} names. Unknown and remote
// names are the same 404.
func (s *Service) localAccount(ctx context.Context, username string) (*model.Account, error) {
	a, err := s.Store.AccountByHandle(ctx, username, "")
	if errors.Is(err, store.ErrNotFound) {
		return nil, httpx.ErrNotFound
	}
	return a, err
}

// activeAccount is localAccount without suspended accounts, whose documents are gone.
func (s *Service) activeAccount(ctx context.Context, username string) (*model.Account, error) {
	a, err := s.localAccount(ctx, username)
	if err != nil {
		return nil, err
	}
	if a.SuspendedAt != nil {
		return nil, httpx.ErrNotFound
	}
	return a, nil
}

func (s *Service) actorDocument(r *http.Request) (any, error) {
	a, err := s.localAccount(r.Context(), r.PathValue("username"))
	if err != nil {
		return nil, err
	}
	return s.RenderActor(r.Context(), s.Store.Q, a)
}

func (s *Service) instanceActorDocument(r *http.Request) (any, error) {
	return s.RenderInstanceActor(r.Context())
}

// publicStatus loads a status of the route's account that anyone may read: public or
// unlisted; other statuses are the same 404 as missing ones. Pages and the replies
// collection show only these; documents go through fetchedStatus.
func (s *Service) publicStatus(r *http.Request) (*model.Account, *model.Status, error) {
	a, err := s.activeAccount(r.Context(), r.PathValue("username"))
	if err != nil {
		return nil, nil, err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, nil, httpx.ErrNotFound
	}
	st, err := s.Store.StatusByID(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, httpx.ErrNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	if st.AccountID != a.ID || !st.Local || !model.CanSee(0, st, false, false) {
		return nil, nil, httpx.ErrNotFound
	}
	return a, st, nil
}

// fetchedStatus loads a status of the route's account that the fetch may read: public
// and unlisted ones for anyone, followers-only and direct ones for a signed fetch by an
// account allowed to see them (FetchableStatus); the rest are the 404 of a missing one.
func (s *Service) fetchedStatus(r *http.Request) (*model.Status, error) {
	a, err := s.activeAccount(r.Context(), r.PathValue("username"))
	if err != nil {
		return nil, err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, httpx.ErrNotFound
	}
	st, err := s.FetchableStatus(r, id)
	if err != nil {
		return nil, err
	}
	if st.AccountID != a.ID {
		return nil, httpx.ErrNotFound
	}
	return st, nil
}

func (s *Service) statusDocument(r *http.Request) (any, error) {
	st, err := s.fetchedStatus(r)
	if err != nil {
		return nil, err
	}
	if st.ReblogOfID != nil {
		return nil, httpx.ErrNotFound // a boost has only its activity
	}
	return s.RenderStatus(r.Context(), s.Store.Q, st)
}

func (s *Service) activityDocument(r *http.Request) (any, error) {
	st, err := s.fetchedStatus(r)
	if err != nil {
		return nil, err
	}
	if st.ReblogOfID != nil {
		return s.RenderAnnounce(r.Context(), s.Store.Q, st)
	}
	return s.RenderCreate(r.Context(), s.Store.Q, st)
}

func (s *Service) emojiDocument(r *http.Request) (any, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, httpx.ErrNotFound
	}
	e, err := s.Store.LocalEmojiByID(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && e.Disabled) {
		return nil, httpx.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	tag := s.emojiTag(e)
	return struct {
		Context any `json:"@context"`
		Tag
	}{Context, tag}, nil
}

func (s *Service) redirectToProfile(w http.ResponseWriter, r *http.Request) error {
	a, err := s.localAccount(r.Context(), r.PathValue("username"))
	if err != nil {
		return err
	}
	http.Redirect(w, r, s.URLs.Profile(a.Username), http.StatusFound)
	return nil
}

func (s *Service) redirectToStatusPage(w http.ResponseWriter, r *http.Request) error {
	a, st, err := s.publicStatus(r)
	if err != nil {
		return err
	}
	http.Redirect(w, r, s.URLs.StatusPage(a.Username, st.ID), http.StatusFound)
	return nil
}
