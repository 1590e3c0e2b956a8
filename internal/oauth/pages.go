package oauth

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"html/template"
	"net/http"
	"strings"

	"github.com/tuskhq/tusk/internal/accounts"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/webform"
)

//go:embed templates/pages.html
var templateFiles embed.FS

// pages is parsed once and only read afterwards.
var pages = template.Must(webform.ParsePages(templateFiles, "templates/pages.html"))

// page is the data every template gets.
type page struct {
	Site, Domain, Heading string
	AppName, AppWebsite   string
	Scopes                []scopeInfo
	Alert, CSRF, Email    string
	Hidden                []hiddenField
	Code                  string
}

type scopeInfo struct{ Name, Desc string }

type hiddenField struct{ Name, Value string }

// scopeDescription explains a coarse scope; granular ones speak for themselves.
func scopeDescription(scope string) string {
	switch scope {
	case "read":
		return "read everything in your account"
	case "write":
		return "post, change and delete on your behalf"
	case "follow":
		return "manage your follows, blocks and mutes"
	case "push":
		return "receive push notifications"
	case "profile":
		return "see your profile only"
	case "admin:read":
		return "read moderation data"
	case "admin:write":
		return "take moderation actions"
	}
	return ""
}

// renderForm shows the sign-in and consent form for req.
func (s *Service) renderForm(w http.ResponseWriter, r *http.Request, status int, req *authRequest, email, alert string) {
	p := page{Heading: "Authorize " + req.app.Name, AppName: req.app.Name, AppWebsite: req.app.Website,
		Alert: alert, Email: email, CSRF: s.csrfToken(w, r)}
	for _, sc := range req.scopes {
		p.Scopes = append(p.Scopes, scopeInfo{sc, scopeDescription(sc)})
	}
	p.Hidden = []hiddenField{
		{"response_type", "code"}, {"client_id", req.app.ClientID}, {"redirect_uri", req.redirectURI},
		{"scope", strings.Join(req.scopes, " ")}, {"state", req.state},
		{"code_challenge", req.challenge}, {"code_challenge_method", req.challMeth},
	}
	s.render(w, status, "authorize", p)
}

func (s *Service) renderError(w http.ResponseWriter, status int, msg string) {
	s.render(w, status, "error", page{Heading: "Authorization failed", Alert: msg})
}

// render writes a page with headers that keep it out of caches and frames.
// There is no form-action directive: browsers apply it to the redirect that follows
// the form, and that goes to the app.
func (s *Service) render(w http.ResponseWriter, status int, name string, p page) {
	p.Site, p.Domain = s.Config.SiteTitle, s.Config.LocalDomain
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, p); err != nil {
		s.log().Error("render oauth page", "page", name, "err", err)
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// signIn checks credentials for the form. A wrong password or a user who may not
// sign in comes back as alert, the message to show; err is for server failures.
func (s *Service) signIn(ctx context.Context, email, password string) (u *model.User, alert string, err error) {
	u, err = s.Accounts.Authenticate(ctx, email, password)
	if errors.Is(err, accounts.ErrBadCredentials) {
		return nil, "Wrong e-mail address or password.", nil
	}
	if err != nil {
		return nil, "", err
	}
	a, err := s.Store.AccountByID(ctx, u.AccountID)
	if err != nil {
		return nil, "", err
	}
	if msg := accounts.SignInRefusal(u, a); msg != "" {
		return nil, msg, nil
	}
	return u, "", nil
}
