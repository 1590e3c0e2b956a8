package oauth

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/net/html"

	"github.com/tuskhq/tusk/internal/accounts"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// env is a running tusk OAuth server on loopback over a real database.
type env struct {
	t   *testing.T
	st  *store.Store
	svc *Service
	srv *httptest.Server
}

func testConfig() config.Config {
	return config.Config{LocalDomain: "example.test", WebDomain: "example.test", SiteTitle: "Tusk Test",
		Registrations: config.RegistrationsOpen, OAuthPasswordGrant: true}
}

func newEnv(t *testing.T, st *store.Store, cfg config.Config) *env {
	t.Helper()
	acc := &accounts.Service{Store: st, Config: cfg, PasswordCost: bcrypt.MinCost}
	svc := &Service{Store: st, Config: cfg, Accounts: acc, Log: slog.New(slog.DiscardHandler)}
	mux := http.NewServeMux()
	svc.Routes(mux)
	// A user endpoint and an open one, to see what tokens are worth.
	mux.Handle("GET /test/me", httpx.Serve(svc.Log, func(w http.ResponseWriter, r *http.Request) error {
		a, err := RequireUser(r, "read:accounts")
		if err != nil {
			return err
		}
		return httpx.OK(w, map[string]any{"username": a.Account.Username, "scopes": a.Token.Scopes})
	}))
	mux.Handle("GET /test/open", httpx.Serve(svc.Log, func(w http.ResponseWriter, r *http.Request) error {
		a, err := Optional(r, "read:statuses")
		if err != nil {
			return err
		}
		return httpx.OK(w, map[string]any{"anonymous": a == nil})
	}))
	mux.Handle("POST /test/form", httpx.Serve(svc.Log, func(w http.ResponseWriter, r *http.Request) error {
		a, err := RequireUser(r, "write:statuses")
		if err != nil {
			return err
		}
		p, err := httpx.ParseParams(w, r)
		if err != nil {
			return err
		}
		return httpx.OK(w, map[string]any{"username": a.Account.Username, "status": p.String("status")})
	}))
	srv := httptest.NewServer(svc.Authenticate(mux))
	t.Cleanup(srv.Close)
	return &env{t: t, st: st, svc: svc, srv: srv}
}

// reply is a decoded response.
type reply struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (r reply) str(key string) string {
	s, _ := r.body[key].(string)
	return s
}

func (e *env) do(req *http.Request) reply {
	e.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := reply{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	_ = json.Unmarshal(raw, &r.body)
	return r
}

// post sends a urlencoded form, with a bearer token when token is not "".
func (e *env) post(path string, form url.Values, token string) reply {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return e.do(req)
}

func (e *env) postJSON(path string, body any, token string) reply {
	e.t.Helper()
	data, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(string(data)))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return e.do(req)
}

func (e *env) get(path, token string) reply {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return e.do(req)
}

// testApp is a registered client.
type testApp struct{ id, secret, redirect string }

func (e *env) registerApp(scopes, redirect string) testApp {
	e.t.Helper()
	r := e.post("/api/v1/apps", url.Values{"client_name": {"Test App"}, "redirect_uris": {redirect}, "scopes": {scopes}}, "")
	if r.status != http.StatusOK || r.str("client_id") == "" {
		e.t.Fatalf("register app: %d %s", r.status, r.raw)
	}
	return testApp{r.str("client_id"), r.str("client_secret"), redirect}
}

// createUser makes a member who can sign in, then applies change to the user.
func (e *env) createUser(username, password string, change func(u *model.User)) *model.User {
	e.t.Helper()
	ctx := context.Background()
	_, u, err := e.svc.Accounts.Create(ctx, accounts.CreateParams{Username: username,
		Email: username + "@example.org", Password: password, Confirmed: true, Approved: true})
	if err != nil {
		e.t.Fatalf("create user: %v", err)
	}
	if change != nil {
		change(u)
		if err := e.st.Writer().UpdateUser(ctx, u); err != nil {
			e.t.Fatal(err)
		}
	}
	return u
}

func (e *env) tokenRequest(app testApp, form url.Values) reply {
	e.t.Helper()
	form.Set("client_id", app.id)
	form.Set("client_secret", app.secret)
	return e.post("/oauth/token", form, "")
}

func (e *env) clientToken(app testApp, scope string) string {
	e.t.Helper()
	r := e.tokenRequest(app, url.Values{"grant_type": {"client_credentials"}, "scope": {scope}})
	if r.status != http.StatusOK {
		e.t.Fatalf("client_credentials: %d %s", r.status, r.raw)
	}
	return r.str("access_token")
}

func (e *env) passwordToken(app testApp, email, password, scope string) reply {
	e.t.Helper()
	return e.tokenRequest(app, url.Values{"grant_type": {"password"}, "username": {email},
		"password": {password}, "scope": {scope}})
}

// browser is a cookie-keeping client that does not follow redirects, so the
// redirect back to the app can be inspected.
func (e *env) browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

// page is a fetched HTML page.
type htmlPage struct {
	status int
	body   string
	fields url.Values // the form's inputs, by name
}

func (e *env) browse(c *http.Client, req *http.Request) (htmlPage, *http.Response) {
	e.t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return htmlPage{status: resp.StatusCode, body: string(raw), fields: formFields(e.t, string(raw))}, resp
}

// openAuthorize GETs the authorization page.
func (e *env) openAuthorize(c *http.Client, q url.Values) htmlPage {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/oauth/authorize?"+q.Encode(), nil)
	p, _ := e.browse(c, req)
	return p
}

// submit POSTs the page's form with the fields changed as given.
func (e *env) submit(c *http.Client, p htmlPage, set map[string]string) (htmlPage, *http.Response) {
	e.t.Helper()
	form := url.Values{}
	for k, v := range p.fields {
		form[k] = append([]string(nil), v...)
	}
	for k, v := range set {
		form.Set(k, v)
	}
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/oauth/authorize", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.browse(c, req)
}

// authorizeCode runs the whole browser side and returns the code from the redirect.
func (e *env) authorizeCode(app testApp, q url.Values, email, password string) url.Values {
	e.t.Helper()
	c := e.browser()
	p := e.openAuthorize(c, q)
	if p.status != http.StatusOK {
		e.t.Fatalf("GET /oauth/authorize: %d %s", p.status, p.body)
	}
	_, resp := e.submit(c, p, map[string]string{"email": email, "password": password, "decision": "authorize"})
	return redirectParams(e.t, resp, app.redirect)
}

// redirectParams checks resp redirects to the app and returns the query it carries.
func redirectParams(t *testing.T, resp *http.Response, redirect string) url.Values {
	t.Helper()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, redirect+"?") {
		t.Fatalf("authorize answered %d, Location %q; want a redirect to %s", resp.StatusCode, loc, redirect)
	}
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

// formFields collects the name and value of every input in an HTML page.
func formFields(t *testing.T, body string) url.Values {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse page: %v", err)
	}
	out := url.Values{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "input" {
			name, value := attr(n, "name"), attr(n, "value")
			if name != "" {
				out.Add(name, value)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// pkce returns a verifier and its S256 challenge.
func pkce(seed string) (verifier, challenge string) {
	verifier = strings.Repeat(seed, 50)[:64]
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

func past() *time.Time {
	t := time.Now().Add(-time.Hour)
	return &t
}
