package server

import (
	"net/http"
	"strconv"

	"github.com/tuskhq/tusk/internal/oauth"
	"github.com/tuskhq/tusk/internal/ratelimit"
)

// rateLimit applies Mastodon's request limits. It runs after authentication so that a
// valid token is limited as itself and everything else by the client's address.
func (s *Server) rateLimit(next http.Handler) http.Handler {
	n := s.Config.Network
	if n.RateLimitsOff {
		return next
	}
	return ratelimit.New(ratelimit.Rules(n.RateLimits), n.TrustedProxies, tokenIdentity).Middleware(next)
}

// tokenIdentity names the request's valid token and its account for the limiter.
func tokenIdentity(r *http.Request) (token, account string) {
	auth := oauth.FromContext(r.Context())
	if auth == nil || auth.Token == nil {
		return "", ""
	}
	token = strconv.FormatInt(auth.Token.ID, 10)
	if auth.Account != nil {
		account = strconv.FormatInt(auth.Account.ID, 10)
	}
	return token, account
}
