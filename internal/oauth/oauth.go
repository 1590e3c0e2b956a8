// Package oauth is tusk's OAuth 2 authorization server, shaped as Mastodon clients
// expect it: app registration, the authorization-code flow with PKCE behind a small
// server-rendered sign-in page, the token and revocation endpoints, app sign-up, and
// the middleware and helpers that turn a bearer token into an authenticated request.
package oauth

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/tuskhq/tusk/internal/accounts"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/store"
)

// Service serves the OAuth endpoints and authenticates API requests.
type Service struct {
	Store    *store.Store
	Config   config.Config
	Accounts *accounts.Service
	Log      *slog.Logger
	VAPID    VAPIDKey     // the Web Push key shown with apps; nil shows none
	Sessions SessionEnder // closes a revoked token's live streams; nil closes none
}

// VAPIDKey gives the server's Web Push public key.
type VAPIDKey interface {
	PublicKey(ctx context.Context) (string, error)
}

// Routes registers the OAuth, app and sign-up endpoints on mux. The API handlers
// among them read the caller from the context, so mux must sit behind Authenticate.
func (s *Service) Routes(mux *http.ServeMux) {
	mux.Handle("POST /api/v1/apps", s.api(s.createApp))
	mux.Handle("GET /api/v1/apps/verify_credentials", s.api(s.verifyApp))
	mux.Handle("POST /api/v1/accounts", s.api(s.signUp))
	mux.Handle("POST /api/v1/emails/confirmations", s.api(s.resendConfirmation))
	mux.Handle("GET /.well-known/oauth-authorization-server", s.api(s.metadata))
	mux.Handle("GET /oauth/authorize", http.HandlerFunc(s.authorizePage))
	mux.Handle("POST /oauth/authorize", s.crossOriginProtection().Handler(http.HandlerFunc(s.authorizeSubmit)))
	mux.Handle("POST /oauth/token", s.oauthAPI(s.token))
	mux.Handle("POST /oauth/revoke", s.oauthAPI(s.revoke))
	mux.Handle("GET /oauth/userinfo", s.api(s.userinfo))
}

func (s *Service) log() *slog.Logger {
	if s.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Log
}

// api wraps a handler answering with Mastodon's {"error": …} body.
func (s *Service) api(h httpx.Handler) http.Handler { return httpx.Serve(s.log(), h) }

// metadata serves RFC 8414 authorization server metadata.
func (s *Service) metadata(w http.ResponseWriter, r *http.Request) error {
	base := s.Config.BaseURL()
	grants := []string{"authorization_code", "client_credentials", "refresh_token"}
	if s.Config.OAuthPasswordGrant {
		grants = append(grants, "password")
	}
	return httpx.OK(w, map[string]any{
		"issuer":                                base + "/",
		"service_documentation":                 "https://docs.joinmastodon.org/",
		"authorization_endpoint":                base + "/oauth/authorize",
		"token_endpoint":                        base + "/oauth/token",
		"revocation_endpoint":                   base + "/oauth/revoke",
		"userinfo_endpoint":                     base + "/oauth/userinfo",
		"app_registration_endpoint":             base + "/api/v1/apps",
		"scopes_supported":                      Scopes(),
		"response_types_supported":              []string{"code"},
		"response_modes_supported":              []string{"query"},
		"grant_types_supported":                 grants,
		"code_challenge_methods_supported":      []string{"S256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
	})
}
