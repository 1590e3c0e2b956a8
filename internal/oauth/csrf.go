package oauth

import (
	"net/http"
)

// The authorization form is protected against cross-site request forgery twice:
//
//   - net/http's CrossOriginProtection refuses POSTs a browser marks as cross-origin
//     (Sec-Fetch-Site, or an Origin that differs from Host);
//   - a double-submit token: GET sets a random value in a SameSite=Lax, HttpOnly
//     cookie and in a hidden form field, and POST requires the two to be equal.
//     Another site can neither read the cookie nor make the browser send it with a
//     cross-site POST.
//
// Neither needs a server-side secret or session, so they survive restarts and
// work the same behind several processes.
const csrfCookie = "tusk_oauth_csrf"

// csrfToken returns the browser's form token, setting a new cookie if it has none.
func (s *Service) csrfToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 43 {
		return c.Value
	}
	v := randomSecret()
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: v, Path: "/oauth/authorize",
		HttpOnly: true, Secure: s.Config.LocalHTTPS, SameSite: http.SameSiteLaxMode})
	return v
}

// csrfOK reports whether a parsed POST carries the token its cookie holds.
func csrfOK(r *http.Request) bool {
	c, err := r.Cookie(csrfCookie)
	return err == nil && c.Value != "" && secretsEqual(c.Value, r.PostForm.Get("csrf_token"))
}

// crossOriginProtection refuses cross-origin browser POSTs with the error page.
func (s *Service) crossOriginProtection() *http.CrossOriginProtection {
	p := http.NewCrossOriginProtection()
	p.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, http.StatusForbidden, "This form was sent from another site, so it was refused.")
	}))
	return p
}
