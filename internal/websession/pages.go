package websession

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/tuskhq/tusk/internal/accounts"
	"github.com/tuskhq/tusk/internal/webform"
)

//go:embed templates/pages.html
var templateFiles embed.FS

// pages is parsed once and only read afterwards.
var pages = template.Must(webform.ParsePages(templateFiles, "templates/pages.html"))

type page struct {
	Site, Heading      string
	Alert, Email, Next string
	CSRF, SignedInAs   string
}

// Routes registers the sign-in and sign-out pages.
func (s *Service) Routes(mux *http.ServeMux) {
	mux.Handle("GET "+SignInPath, s.Load(http.HandlerFunc(s.signInPage)))
	mux.Handle("POST "+SignInPath, s.ProtectForm(http.HandlerFunc(s.signInSubmit)))
	mux.Handle("POST /auth/sign_out", s.ProtectForm(http.HandlerFunc(s.signOut)))
}

func (s *Service) csrf() webform.CSRF {
	return webform.CSRF{Cookie: "tusk_csrf", Path: "/", Secure: s.Config.LocalHTTPS}
}

// FormToken returns the token every form on a members' page must send back in a
// hidden field named webform.FieldName ("csrf_token").
func (s *Service) FormToken(w http.ResponseWriter, r *http.Request) string {
	return s.csrf().Token(w, r)
}

// ProtectForm parses a POSTed form and refuses it, with a 403 page, when it comes
// from another site or does not carry the browser's FormToken.
func (s *Service) ProtectForm(next http.Handler) http.Handler {
	checked := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, webform.MaxFormBytes)
		if err := r.ParseForm(); err != nil {
			s.renderError(w, r, http.StatusBadRequest, "The form could not be read.")
			return
		}
		if !s.csrf().Valid(r) {
			s.renderError(w, r, http.StatusForbidden, "This form has expired or was not sent from this site. Go back, reload the page and try again.")
			return
		}
		next.ServeHTTP(w, r)
	})
	deny := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusForbidden, "This form was sent from another site, so it was refused.")
	})
	return webform.CrossOriginProtection(deny).Handler(checked)
}

func (s *Service) signInPage(w http.ResponseWriter, r *http.Request) {
	p := page{Heading: "Sign in", Next: safeNext(r.URL.Query().Get("next"))}
	if _, a := Current(r); a != nil {
		p.SignedInAs = a.Username
	}
	s.renderForm(w, r, http.StatusOK, p)
}

func (s *Service) signInSubmit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	email := strings.TrimSpace(r.PostForm.Get("email"))
	p := page{Heading: "Sign in", Email: email, Next: safeNext(r.PostForm.Get("next"))}
	u, err := s.Accounts.Authenticate(ctx, email, r.PostForm.Get("password"))
	if errors.Is(err, accounts.ErrBadCredentials) {
		p.Alert = "Wrong e-mail address or password."
		s.renderForm(w, r, http.StatusUnauthorized, p)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.Store.AccountByID(ctx, u.AccountID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Alert = accounts.SignInRefusal(u, a); p.Alert != "" {
		s.renderForm(w, r, http.StatusForbidden, p)
		return
	}
	// A fresh id on every sign-in, and the browser's previous session ended, so an id
	// planted before sign-in is worth nothing after it.
	if err := s.end(ctx, w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.start(ctx, w, r, u); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, p.Next, http.StatusSeeOther)
}

func (s *Service) signOut(w http.ResponseWriter, r *http.Request) {
	if err := s.end(r.Context(), w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, SignInPath, http.StatusSeeOther)
}

// safeNext keeps a post-sign-in redirect on this site: a local absolute path, never
// "//host" or a URL with a scheme.
func safeNext(v string) string {
	u, err := url.Parse(v)
	if v == "" || err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(v, "/") ||
		strings.HasPrefix(v, "//") || strings.ContainsAny(v, "\\\r\n") {
		return "/"
	}
	return v
}

func (s *Service) renderForm(w http.ResponseWriter, r *http.Request, status int, p page) {
	p.CSRF = s.FormToken(w, r)
	s.render(w, status, "signin", p)
}

func (s *Service) fail(w http.ResponseWriter, r *http.Request, err error) {
	s.log().ErrorContext(r.Context(), "web sign-in", "err", err)
	s.renderError(w, r, http.StatusInternalServerError, "Something went wrong on the server. Try again later.")
}

func (s *Service) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.render(w, status, "error", page{Heading: http.StatusText(status), Alert: msg})
}

// render writes a page with headers that keep it out of caches and frames.
func (s *Service) render(w http.ResponseWriter, status int, name string, p page) {
	p.Site = s.Config.SiteTitle
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, p); err != nil {
		s.log().Error("render sign-in page", "page", name, "err", err)
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return
	}
	SetPageHeaders(w.Header())
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// SetPageHeaders marks a members' HTML page as private, unframeable and free of
// anything but inline styles and same-site forms.
func SetPageHeaders(h http.Header) {
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "+
		"form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
}
