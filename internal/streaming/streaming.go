// Package streaming serves Mastodon's streaming API — WebSocket and server-sent events
// — over the event bus: the domain publishes what happened, and each connection receives
// it rendered for its viewer by the same rules as the REST API.
package streaming

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/mastoapi/entity"
	"github.com/tuskhq/tusk/internal/oauth"
	"github.com/tuskhq/tusk/internal/pubsub"
	"github.com/tuskhq/tusk/internal/social"
)

// Options tune the transports; zero values take the defaults.
type Options struct {
	Ping      time.Duration // WebSocket ping interval (30 s); a ping unanswered by the next one drops the connection
	Heartbeat time.Duration // SSE ":thump" interval (15 s)
	Buffer    int           // events queued per connection before it counts as too slow (128)
	Sweep     time.Duration // how often live tokens are re-checked (10 s), for changes no bus event announced
	Workers   int           // render workers (4)
}

func (o *Options) defaults() {
	if o.Ping <= 0 {
		o.Ping = 30 * time.Second
	}
	if o.Heartbeat <= 0 {
		o.Heartbeat = 15 * time.Second
	}
	if o.Buffer <= 0 {
		o.Buffer = 128
	}
	if o.Sweep <= 0 {
		o.Sweep = 10 * time.Second
	}
	if o.Workers <= 0 {
		o.Workers = 4
	}
}

// Server is the streaming API of one process.
type Server struct {
	social *social.Service
	oauth  *oauth.Service
	hub    *hub
	log    *slog.Logger
	opts   Options

	mu       sync.Mutex
	live     map[*client]struct{}
	sweeping bool
}

// New builds the streaming API over the bus the domain publishes on.
func New(svc *social.Service, oa *oauth.Service, bus pubsub.Bus, render entity.Renderer, log *slog.Logger, opts Options) *Server {
	opts.defaults()
	r := &renderer{social: svc, entity: render, log: log}
	return &Server{social: svc, oauth: oa, hub: newHub(bus, r, log, opts.Workers), log: log, opts: opts, live: map[*client]struct{}{}}
}

// Routes registers the streaming endpoints, Mastodon's paths.
func (s *Server) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/streaming", s.serveRoot)
	mux.HandleFunc("GET /api/v1/streaming/health", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("OK"))
	})
	for path, name := range map[string]string{
		"user": streamUser, "user/notification": streamUserNotification,
		"public": streamPublic, "public/local": streamLocal, "public/remote": streamRemote,
		"hashtag": streamHashtag, "hashtag/local": streamHashtagLocal, "list": streamList, "direct": streamDirect,
	} {
		mux.HandleFunc("GET /api/v1/streaming/"+path, s.serveSSEPath(name))
	}
}

// serveRoot upgrades to a WebSocket, or streams events for ?stream= over plain HTTP.
func (s *Server) serveRoot(w http.ResponseWriter, r *http.Request) {
	if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		s.serveWebSocket(w, r)
		return
	}
	s.serveSSEPath(r.URL.Query().Get("stream"))(w, r)
}

// authenticate is who the connection acts for: a user's token, from the Authorization
// header, the access_token parameter (both read by the OAuth middleware) or, for
// WebSockets, Sec-WebSocket-Protocol. protocol is the header's token, to be echoed.
func (s *Server) authenticate(r *http.Request) (auth *oauth.Auth, protocol string, err error) {
	auth = oauth.FromContext(r.Context())
	if auth == nil {
		protocol = strings.TrimSpace(strings.Split(r.Header.Get("Sec-WebSocket-Protocol"), ",")[0])
		if protocol == "" {
			return nil, "", errNoToken
		}
		if auth, err = s.oauth.AuthenticateSecret(r.Context(), protocol); err != nil {
			return nil, "", err
		}
	}
	if auth.User == nil || auth.Account == nil {
		return nil, "", errNoUser
	}
	return auth, protocol, nil
}

// maxTagLength bounds a hashtag stream's tag, as tags are bounded elsewhere.
const maxTagLength = 100

// resolve checks a stream request: its name, the token's scopes, its tag or list.
func (s *Server) resolve(ctx context.Context, auth *oauth.Auth, name, tag, list string) (stream, error) {
	if !knownStream(name) {
		return stream{}, errUnknownStream
	}
	st := stream{name: name}
	if !allowed(auth, st) {
		return stream{}, errScopes
	}
	switch name {
	case streamHashtag, streamHashtagLocal:
		st.tag = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(tag), "#"))
		if st.tag == "" {
			return stream{}, errNoTag
		}
		if len(st.tag) > maxTagLength {
			return stream{}, httpx.Unprocessable("Validation failed: tag is too long")
		}
	case streamList:
		listID, ok := id.Parse(list)
		if !ok {
			return stream{}, errNoList
		}
		l, err := s.social.StreamList(ctx, auth.Account, listID)
		if errors.Is(err, social.ErrNotFound) {
			return stream{}, errListDenied
		}
		if err != nil {
			return stream{}, err
		}
		st.list = l
	}
	return st, nil
}

// open registers a new connection and its session channels.
func (s *Server) open(auth *oauth.Auth, tr transport) *client {
	c := newClient(auth, tr, s.opts.Buffer)
	session := &subscription{c: c, stream: stream{name: "session"}}
	s.hub.add(session, []string{social.TokenChannel(auth.Token.ID), social.AccountSessionsChannel(auth.Account.ID)})
	c.subs[""] = session
	s.mu.Lock()
	s.live[c] = struct{}{}
	if !s.sweeping {
		s.sweeping = true
		go s.sweep()
	}
	s.mu.Unlock()
	return c
}

// close ends a connection and drops its subscriptions.
func (s *Server) close(c *client) {
	c.end(endServer)
	c.mu.Lock()
	subs := c.subs
	c.subs = map[string]*subscription{}
	c.mu.Unlock()
	for _, sub := range subs {
		s.hub.remove(sub)
	}
	s.mu.Lock()
	delete(s.live, c)
	s.mu.Unlock()
}

// subscribe adds a stream to a connection; subscribing twice is harmless.
func (s *Server) subscribe(c *client, st stream) {
	c.mu.Lock()
	if _, dup := c.subs[st.key()]; dup {
		c.mu.Unlock()
		return
	}
	sub := &subscription{c: c, stream: st}
	c.subs[st.key()] = sub
	c.mu.Unlock()
	s.hub.add(sub, st.channels(c.account().ID))
}

// unsubscribe drops a stream from a connection.
func (s *Server) unsubscribe(c *client, st stream) {
	c.mu.Lock()
	sub := c.subs[st.key()]
	delete(c.subs, st.key())
	c.mu.Unlock()
	if sub != nil {
		s.hub.remove(sub)
	}
}

// sweep re-checks the tokens of open connections while there are any, closing those
// that may no longer read: the bus announces revocations at once, and this catches the
// changes made where no bus reaches (another process's admin command, expiry).
func (s *Server) sweep() {
	t := time.NewTicker(s.opts.Sweep)
	defer t.Stop()
	ping := time.NewTicker(s.opts.Ping)
	defer ping.Stop()
	for {
		select {
		case <-ping.C:
			s.pingAll()
			continue
		case <-t.C:
		}
		s.mu.Lock()
		if len(s.live) == 0 {
			s.sweeping = false
			s.mu.Unlock()
			return
		}
		s.mu.Unlock()
		if err := s.SweepNow(context.Background()); err != nil {
			s.log.Warn("streaming: session sweep", "err", err)
		}
	}
}

// pingAll pings every WebSocket of this process, from this one goroutine: a socket
// needs no timer of its own.
func (s *Server) pingAll() {
	s.mu.Lock()
	var sockets []transport
	for c := range s.live {
		if c.tr != nil {
			sockets = append(sockets, c.tr)
		}
	}
	s.mu.Unlock()
	for _, tr := range sockets {
		tr.ping()
	}
}

// SweepNow re-checks every open connection's token at once and closes those that may no
// longer read (the periodic sweep's work; tests and admin paths call it directly).
func (s *Server) SweepNow(ctx context.Context) error {
	byToken := map[int64][]*client{}
	s.mu.Lock()
	for c := range s.live {
		byToken[c.auth.Token.ID] = append(byToken[c.auth.Token.ID], c)
	}
	s.mu.Unlock()
	return s.endStale(ctx, byToken)
}

// sweepBatch bounds the ids asked about in one query.
const sweepBatch = 500

func (s *Server) endStale(ctx context.Context, byToken map[int64][]*client) error {
	ids := make([]int64, 0, len(byToken))
	for tid := range byToken {
		ids = append(ids, tid)
	}
	for len(ids) > 0 {
		n := min(len(ids), sweepBatch)
		ended, err := s.social.EndedSessions(ctx, ids[:n])
		if err != nil {
			return err
		}
		for _, tid := range ended {
			for _, c := range byToken[tid] {
				c.end(endSession)
			}
		}
		ids = ids[n:]
	}
	return nil
}

// Shutdown ends every open stream of this process: WebSockets close with 1001 (going
// away) and SSE responses end, so that the HTTP server can stop.
func (s *Server) Shutdown() {
	s.mu.Lock()
	live := make([]*client, 0, len(s.live))
	for c := range s.live {
		live = append(live, c)
	}
	s.mu.Unlock()
	for _, c := range live {
		c.end(endServer)
	}
}

// Subscriptions reports how many streams of this process listen on a bus channel (for
// metrics, and for tests that wait until a client is subscribed).
func (s *Server) Subscriptions(channel string) int {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	if cs := s.hub.channels[channel]; cs != nil {
		return len(cs.subs)
	}
	return 0
}
