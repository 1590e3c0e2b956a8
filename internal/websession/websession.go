// Package websession signs members in to tusk's own web pages (the admin console,
// account settings) with their e-mail address and password, and keeps them signed in
// with a cookie. Mastodon apps never use it: they hold OAuth tokens.
//
// The cookie carries a random 256-bit id; the web_sessions table keeps only its SHA-256,
// so a leaked backup opens no browser. A session lasts Config.Admin.SessionLifetime
// after its last visit. Every form POST is checked with webform's CSRF defences.
package websession

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/accounts"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/webform"
)

// CookieName is the session cookie.
const CookieName = "tusk_session"

// SignInPath is where anonymous visitors of a members' page are sent.
const SignInPath = "/auth/sign_in"

// DefaultLifetime applies when the configuration leaves SessionLifetime zero.
const DefaultLifetime = 14 * 24 * time.Hour

// renewAfter: a visit moves the expiry only when the last recorded visit is older
// than this, so reading pages does not write to the database on every request.
const renewAfter = 10 * time.Minute

// Service signs members in and out and resolves their sessions.
type Service struct {
	Store    *store.Store
	Accounts *accounts.Service
	Config   config.Config
	Log      *slog.Logger
	// Now is the clock; nil means time.Now. Tests move it to expire sessions.
	Now func() time.Time
}

type sessionKey struct{}

type signedIn struct {
	user    *model.User
	account *model.Account
	idHash  string
}

// Current returns the member signed in to r's browser, or nils when there is none.
// It sees only requests that passed through Load or Require.
func Current(r *http.Request) (*model.User, *model.Account) {
	if s, ok := r.Context().Value(sessionKey{}).(*signedIn); ok {
		return s.user, s.account
	}
	return nil, nil
}

// Load resolves the session cookie, if any, for Current; anonymous requests pass on.
func (s *Service) Load(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, err := s.resolve(w, r)
		if err != nil {
			s.log().ErrorContext(r.Context(), "web session", "err", err)
			s.renderError(w, r, http.StatusInternalServerError, "Something went wrong on the server. Try again later.")
			return
		}
		if sess != nil {
			r = r.WithContext(context.WithValue(r.Context(), sessionKey{}, sess))
		}
		next.ServeHTTP(w, r)
	})
}

// Require is Load for pages only members may see: anonymous visitors are sent to
// the sign-in page, which brings them back afterwards.
func (s *Service) Require(next http.Handler) http.Handler {
	return s.Load(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, _ := Current(r); u == nil {
			target := SignInPath + "?" + url.Values{"next": {r.URL.RequestURI()}}.Encode()
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	}))
}

// resolve finds the live session behind r's cookie. A stale or unknown cookie, or a
// member who may no longer sign in, is cleared and yields nil.
func (s *Service) resolve(w http.ResponseWriter, r *http.Request) (*signedIn, error) {
	c, err := r.Cookie(CookieName)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	ctx, now := r.Context(), s.now()
	idHash := hashID(c.Value)
	ws, err := s.Store.WebSessionByHash(ctx, idHash)
	if errors.Is(err, store.ErrNotFound) {
		s.clearCookie(w)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("websession: %w", err)
	}
	if !now.Before(ws.ExpiresAt) {
		s.clearCookie(w)
		return nil, s.Store.Writer().DeleteWebSession(ctx, idHash)
	}
	u, a, err := s.member(ctx, ws.UserID)
	if err != nil || u == nil {
		return nil, err
	}
	if now.Sub(ws.LastSeenAt) > renewAfter {
		if err := s.renew(ctx, w, c.Value, now); err != nil {
			return nil, err
		}
	}
	return &signedIn{user: u, account: a, idHash: idHash}, nil
}

// member loads a session's user and account, or nils when the user may no longer
// sign in (disabled, suspended, deleted since).
func (s *Service) member(ctx context.Context, userID int64) (*model.User, *model.Account, error) {
	u, err := s.Store.UserByID(ctx, userID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("websession: %w", err)
	}
	a, err := s.Store.AccountByID(ctx, u.AccountID)
	if err != nil {
		return nil, nil, fmt.Errorf("websession: %w", err)
	}
	if accounts.CanSignIn(u, a) != nil {
		return nil, nil, nil
	}
	return u, a, nil
}

// start opens a session for u and sets its cookie.
func (s *Service) start(ctx context.Context, w http.ResponseWriter, r *http.Request, u *model.User) error {
	id, now := webform.RandomSecret(), s.now()
	ws := &store.WebSession{IDHash: hashID(id), UserID: u.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(s.lifetime()), UserAgent: truncate(r.UserAgent(), 255), IP: remoteIP(r)}
	if err := s.Store.Writer().InsertWebSession(ctx, ws); err != nil {
		return fmt.Errorf("websession: %w", err)
	}
	s.setCookie(w, id, ws.ExpiresAt)
	return nil
}

func (s *Service) renew(ctx context.Context, w http.ResponseWriter, id string, now time.Time) error {
	expires := now.Add(s.lifetime())
	if err := s.Store.Writer().ExtendWebSession(ctx, hashID(id), now, expires); err != nil {
		return fmt.Errorf("websession: %w", err)
	}
	s.setCookie(w, id, expires)
	return nil
}

// end deletes the session behind r's cookie, if any, and clears the cookie.
func (s *Service) end(ctx context.Context, w http.ResponseWriter, r *http.Request) error {
	s.clearCookie(w)
	c, err := r.Cookie(CookieName)
	if err != nil || c.Value == "" {
		return nil
	}
	return s.Store.Writer().DeleteWebSession(ctx, hashID(c.Value))
}

func (s *Service) setCookie(w http.ResponseWriter, id string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: id, Path: "/", Expires: expires,
		HttpOnly: true, Secure: s.Config.LocalHTTPS, SameSite: http.SameSiteLaxMode})
}

func (s *Service) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.Config.LocalHTTPS, SameSite: http.SameSiteLaxMode})
}

// PruneExpired deletes sessions that have expired; for a periodic clean-up job.
func (s *Service) PruneExpired(ctx context.Context) (int64, error) {
	return s.Store.Writer().DeleteExpiredWebSessions(ctx, s.now())
}

func (s *Service) lifetime() time.Duration {
	if s.Config.Admin.SessionLifetime > 0 {
		return s.Config.Admin.SessionLifetime
	}
	return DefaultLifetime
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) log() *slog.Logger {
	if s.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Log
}

func hashID(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
