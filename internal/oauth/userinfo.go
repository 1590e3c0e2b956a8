package oauth

import (
	"errors"
	"net/http"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/mastoapi/entity"
)

// userinfo serves OpenID Connect's UserInfo endpoint (GET /oauth/userinfo) for a user
// token with the profile scope. The /oauth/ paths skip Authenticate, whose refusals are
// for the API, so this endpoint resolves its bearer token itself. Mastodon has no
// "email" scope, so the address is never among the claims.
func (s *Service) userinfo(w http.ResponseWriter, r *http.Request) error {
	secret, err := bearer(w, r)
	if err != nil {
		return err
	}
	if secret == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="tusk"`)
		return httpx.ErrUnauthorized
	}
	auth, err := s.lookup(r.Context(), secret)
	if errors.Is(err, errInvalidToken) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="tusk", error="invalid_token"`)
		return httpx.ErrUnauthorized
	}
	if err != nil {
		return err
	}
	if auth, err = RequireUser(r.WithContext(WithAuth(r.Context(), auth)), "profile"); err != nil {
		return err
	}
	acc := entity.Renderer{Config: s.Config}.Account(auth.Account)
	name := acc.DisplayName
	if name == "" {
		name = acc.Username
	}
	return httpx.OK(w, map[string]string{
		"iss": s.Config.BaseURL() + "/", "sub": auth.Account.URI, "name": name,
		"preferred_username": acc.Username, "profile": acc.URL, "picture": acc.Avatar,
	})
}
