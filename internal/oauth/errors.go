package oauth

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/tuskhq/tusk/internal/httpx"
)

// oauthError is an RFC 6749 error response: {"error": Code, "error_description": Desc}.
type oauthError struct {
	Status int
	Code   string
	Desc   string
}

func (e *oauthError) Error() string { return fmt.Sprintf("oauth: %s: %s", e.Code, e.Desc) }

func invalidRequest(format string, args ...any) *oauthError {
	return &oauthError{http.StatusBadRequest, "invalid_request", fmt.Sprintf(format, args...)}
}

func invalidGrant(why string) *oauthError {
	return &oauthError{http.StatusBadRequest, "invalid_grant",
		"The authorization grant is invalid, expired or revoked, or belongs to another client or redirect URI: " + why + "."}
}

var (
	errInvalidClient = &oauthError{http.StatusUnauthorized, "invalid_client",
		"Client authentication failed: the client is unknown, the secret is wrong, or none was sent."}
	errUnsupportedGrant = &oauthError{http.StatusBadRequest, "unsupported_grant_type",
		"This server does not support that grant type."}
	errInvalidScope = &oauthError{http.StatusBadRequest, "invalid_scope",
		"The requested scope is unknown, malformed, or more than the client may ask for."}
	errNotYourToken = &oauthError{http.StatusForbidden, "unauthorized_client",
		"The token was issued to another client."}
)

// oauthAPI wraps a handler of the token endpoints: OAuth errors keep their own body
// shape; anything else is rendered by httpx. Token responses must never be cached.
func (s *Service) oauthAPI(h httpx.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Pragma", "no-cache")
		err := h(w, r)
		var oe *oauthError
		switch {
		case err == nil:
		case errors.As(err, &oe):
			if oe.Status == http.StatusUnauthorized {
				w.Header().Set("WWW-Authenticate", `Basic realm="tusk"`)
			}
			httpx.WriteJSON(w, oe.Status, map[string]string{"error": oe.Code, "error_description": oe.Desc})
		default:
			httpx.WriteError(s.log(), w, r, err)
		}
	})
}
