package oauth

import (
	"net/http"

	"github.com/tuskhq/tusk/internal/webform"
)

// The authorization form is protected against cross-site request forgery by
// webform's two defences: cross-origin refusal and a double-submit token whose
// cookie is scoped to the form's path.
func (s *Service) csrf() webform.CSRF {
	return webform.CSRF{Cookie: "tusk_oauth_csrf", Path: "/oauth/authorize", Secure: s.Config.LocalHTTPS}
}

// csrfToken returns the browser's form token, setting a new cookie if it has none.
func (s *Service) csrfToken(w http.ResponseWriter, r *http.Request) string {
	return s.csrf().Token(w, r)
}

// crossOriginProtection refuses cross-origin browser POSTs with the error page.
func (s *Service) crossOriginProtection() *http.CrossOriginProtection {
	return webform.CrossOriginProtection(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, http.StatusForbidden, "This form was sent from another site, so it was refused.")
	}))
}
