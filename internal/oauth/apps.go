package oauth

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/webform"
)

// oob is the redirect URI that asks for the code to be shown instead of redirected.
const oob = "urn:ietf:wg:oauth:2.0:oob"

// Limits on app registration, as Mastodon sets them.
const (
	maxAppName    = 60
	maxAppURLSize = 2000
)

// appJSON is Mastodon's Application entity; the client credentials are only shown
// when the app is created.
type appJSON struct {
	ID                    string   `json:"id"`
	Name                  string   `json:"name"`
	Website               *string  `json:"website"`
	Scopes                []string `json:"scopes"`
	RedirectURI           string   `json:"redirect_uri"`
	RedirectURIs          []string `json:"redirect_uris"`
	VapidKey              string   `json:"vapid_key"`
	ClientID              string   `json:"client_id,omitempty"`
	ClientSecret          string   `json:"client_secret,omitempty"`
	ClientSecretExpiresAt *int     `json:"client_secret_expires_at,omitempty"`
}

func renderApp(a *model.App, credentials bool) appJSON {
	j := appJSON{ID: strconv.FormatInt(a.ID, 10), Name: a.Name, Scopes: a.Scopes,
		RedirectURI: strings.Join(a.RedirectURIs, "\n"), RedirectURIs: a.RedirectURIs}
	if a.Website != "" {
		j.Website = &a.Website
	}
	if credentials {
		never := 0
		j.ClientID, j.ClientSecret, j.ClientSecretExpiresAt = a.ClientID, a.ClientSecret, &never
	}
	return j
}

// createApp serves POST /api/v1/apps.
func (s *Service) createApp(w http.ResponseWriter, r *http.Request) error {
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	app, problems := appFromParams(p)
	if len(problems) > 0 {
		return httpx.Unprocessable("Validation failed: %s", strings.Join(problems, ", "))
	}
	app.ClientID, app.ClientSecret = webform.RandomSecret(), webform.RandomSecret()
	if err := s.Store.Writer().InsertApp(r.Context(), app); err != nil {
		return err
	}
	return s.renderApp(w, r, app, true)
}

// renderApp answers with the app, showing the Web Push key as Mastodon does.
func (s *Service) renderApp(w http.ResponseWriter, r *http.Request, app *model.App, credentials bool) error {
	j := renderApp(app, credentials)
	if s.VAPID != nil {
		key, err := s.VAPID.PublicKey(r.Context())
		if err != nil {
			return err
		}
		j.VapidKey = key
	}
	return httpx.OK(w, j)
}

// appFromParams reads and checks an app registration, returning every problem found.
func appFromParams(p httpx.Params) (*model.App, []string) {
	var problems []string
	app := &model.App{Name: strings.TrimSpace(p.String("client_name")), Website: strings.TrimSpace(p.String("website"))}
	switch {
	case app.Name == "":
		problems = append(problems, "Name can't be blank")
	case len([]rune(app.Name)) > maxAppName:
		problems = append(problems, fmt.Sprintf("Name is too long (maximum is %d characters)", maxAppName))
	}
	for _, v := range p.List("redirect_uris") {
		app.RedirectURIs = append(app.RedirectURIs, strings.Fields(v)...)
	}
	if len(app.RedirectURIs) == 0 {
		problems = append(problems, "Redirect URI can't be blank")
	}
	for _, u := range app.RedirectURIs {
		if !validRedirectURI(u) {
			problems = append(problems, "Redirect URI must be an absolute URI without a fragment")
			break
		}
	}
	if app.Website != "" && !validWebsite(app.Website) {
		problems = append(problems, "Website is invalid")
	}
	scopes, ok := parseScopes(strings.Join(p.List("scopes"), " "), "read")
	if !ok {
		problems = append(problems, "Scopes include one this server does not know")
	}
	app.Scopes = scopes
	return app, problems
}

// validRedirectURI accepts the out-of-band URN and absolute URIs, including the
// custom schemes native apps use, but not schemes that would run script.
func validRedirectURI(s string) bool {
	if s == oob {
		return true
	}
	u, err := url.Parse(s)
	if err != nil || len(s) > maxAppURLSize || u.Scheme == "" || u.Fragment != "" {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "javascript", "data", "vbscript", "file":
		return false
	case "http", "https":
		return u.Host != ""
	}
	return true
}

func validWebsite(s string) bool {
	u, err := url.Parse(s)
	return err == nil && len(s) <= maxAppURLSize && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// verifyApp serves GET /api/v1/apps/verify_credentials: any valid token will do.
func (s *Service) verifyApp(w http.ResponseWriter, r *http.Request) error {
	auth, err := RequireApp(r, "")
	if err != nil {
		return err
	}
	if auth.App == nil {
		return httpx.ErrUnauthorized
	}
	return s.renderApp(w, r, auth.App, false)
}
