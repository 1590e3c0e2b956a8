// Package webform protects tusk's server-rendered HTML forms against cross-site
// request forgery, the same way on every page that takes a POST.
//
// Two defences are combined:
//
//   - net/http's CrossOriginProtection refuses POSTs a browser marks as cross-origin
//     (Sec-Fetch-Site, or an Origin that differs from Host);
//   - a double-submit token: a GET sets a random value in a SameSite=Lax, HttpOnly
//     cookie and in a hidden form field, and a POST requires the two to be equal.
//     Another site can neither read the cookie nor make the browser send it with a
//     cross-site POST.
//
// Neither needs a server-side secret or session, so they survive restarts and work
// the same behind several processes.
package webform

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
)

// FieldName is the hidden form field that carries the token.
const FieldName = "csrf_token"

// MaxFormBytes caps the body of a form POST.
const MaxFormBytes = 64 << 10

// CSRF issues and checks the double-submit token of one group of pages.
type CSRF struct {
	Cookie string // cookie name, distinct per group so paths do not collide
	Path   string // cookie path: the pages whose forms carry it
	Secure bool   // set on https instances
}

// Token returns the browser's form token, setting a new cookie if it has none.
func (c CSRF) Token(w http.ResponseWriter, r *http.Request) string {
	if ck, err := r.Cookie(c.Cookie); err == nil && len(ck.Value) >= 43 {
		return ck.Value
	}
	v := RandomSecret()
	http.SetCookie(w, &http.Cookie{Name: c.Cookie, Value: v, Path: c.Path,
		HttpOnly: true, Secure: c.Secure, SameSite: http.SameSiteLaxMode})
	return v
}

// Valid reports whether a parsed POST carries the token its cookie holds.
func (c CSRF) Valid(r *http.Request) bool {
	ck, err := r.Cookie(c.Cookie)
	return err == nil && ck.Value != "" && SecretsEqual(ck.Value, r.PostForm.Get(FieldName))
}

// CrossOriginProtection refuses cross-origin browser POSTs through deny.
func CrossOriginProtection(deny http.Handler) *http.CrossOriginProtection {
	p := http.NewCrossOriginProtection()
	p.SetDenyHandler(deny)
	return p
}

// RandomSecret returns 32 random bytes, base64url-encoded.
func RandomSecret() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails; see crypto/rand
	return base64.RawURLEncoding.EncodeToString(b)
}

// SecretsEqual compares two secrets in constant time.
func SecretsEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
