package oauth

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

func TestRegisterApp(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, testConfig())
		r := e.postJSON("/api/v1/apps", map[string]any{"client_name": "Pinafore",
			"redirect_uris": []string{"https://app.example/cb", "app.example.native:/cb"},
			"scopes":        "read write:statuses follow", "website": "https://app.example"}, "")
		if r.status != http.StatusOK {
			t.Fatalf("POST /api/v1/apps = %d %s", r.status, r.raw)
		}
		checks := map[string]bool{
			"id is a string":        r.str("id") != "",
			"name":                  r.str("name") == "Pinafore",
			"website":               r.str("website") == "https://app.example",
			"redirect_uri joined":   r.str("redirect_uri") == "https://app.example/cb\napp.example.native:/cb",
			"redirect_uris array":   len(r.body["redirect_uris"].([]any)) == 2,
			"scopes array":          len(r.body["scopes"].([]any)) == 3,
			"client_id":             len(r.str("client_id")) >= 43,
			"client_secret":         len(r.str("client_secret")) >= 43,
			"secret never expires":  r.body["client_secret_expires_at"] == float64(0),
			"vapid_key is a string": r.body["vapid_key"] == "",
		}
		for name, ok := range checks {
			if !ok {
				t.Errorf("app: %s wrong in %s", name, r.raw)
			}
		}
		app := testApp{r.str("client_id"), r.str("client_secret"), "https://app.example/cb"}
		v := e.get("/api/v1/apps/verify_credentials", e.clientToken(app, "read"))
		if v.status != http.StatusOK || v.str("name") != "Pinafore" || v.body["client_secret"] != nil || v.body["client_id"] != nil {
			t.Errorf("verify_credentials = %d %s; want the app without credentials", v.status, v.raw)
		}
		if v := e.get("/api/v1/apps/verify_credentials", ""); v.status != http.StatusUnauthorized {
			t.Errorf("verify_credentials without token = %d; want 401", v.status)
		}
	})
}

func TestRegisterAppInvalid(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, testConfig())
		tests := []struct {
			name string
			form url.Values
			want string
		}{
			{"no name", url.Values{"redirect_uris": {oob}}, "Name can't be blank"},
			{"no redirect", url.Values{"client_name": {"x"}}, "Redirect URI can't be blank"},
			{"relative redirect", url.Values{"client_name": {"x"}, "redirect_uris": {"/cb"}}, "Redirect URI"},
			{"script redirect", url.Values{"client_name": {"x"}, "redirect_uris": {"javascript:alert(1)"}}, "Redirect URI"},
			{"unknown scope", url.Values{"client_name": {"x"}, "redirect_uris": {oob}, "scopes": {"read bogus"}}, "Scopes"},
			{"bad website", url.Values{"client_name": {"x"}, "redirect_uris": {oob}, "website": {"ftp://x"}}, "Website"},
		}
		for _, tt := range tests {
			r := e.post("/api/v1/apps", tt.form, "")
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.str("error"), tt.want) {
				t.Errorf("%s: %d %s; want 422 mentioning %q", tt.name, r.status, r.raw, tt.want)
			}
		}
		r := e.post("/api/v1/apps", url.Values{"client_name": {"x"}, "redirect_uris": {oob}}, "")
		if r.status != http.StatusOK || r.str("redirect_uri") != oob || r.body["scopes"].([]any)[0] != "read" {
			t.Errorf("defaults: %d %s; want scopes [read] and the oob URI", r.status, r.raw)
		}
	})
}

func TestAuthorizationCodeWithPKCE(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, testConfig())
		app := e.registerApp("read write", "https://app.example/cb")
		e.createUser("alice", "alice password", nil)
		verifier, challenge := pkce("v3rifier-")
		q := url.Values{"response_type": {"code"}, "client_id": {app.id}, "redirect_uri": {app.redirect},
			"scope": {"read write:statuses"}, "state": {"xyz 123"}, "code_challenge": {challenge},
			"code_challenge_method": {"S256"}}
		got := e.authorizeCode(app, q, "alice@example.org", "alice password")
		if got.Get("state") != "xyz 123" || got.Get("code") == "" {
			t.Fatalf("redirect query = %v; want code and state", got)
		}
		exchange := func(code, verifier string) reply {
			return e.tokenRequest(app, url.Values{"grant_type": {"authorization_code"}, "code": {code},
				"redirect_uri": {app.redirect}, "code_verifier": {verifier}})
		}
		if r := exchange(got.Get("code"), strings.Repeat("w", 64)); r.status != http.StatusBadRequest || r.str("error") != "invalid_grant" {
			t.Errorf("wrong verifier: %d %s; want 400 invalid_grant", r.status, r.raw)
		}
		if r := exchange(got.Get("code"), verifier); r.str("error") != "invalid_grant" {
			t.Errorf("code after a failed exchange: %d %s; want invalid_grant (codes are single use)", r.status, r.raw)
		}
		code := e.authorizeCode(app, q, "alice@example.org", "alice password").Get("code")
		tok := exchange(code, verifier)
		if tok.status != http.StatusOK || tok.str("token_type") != "Bearer" || tok.str("scope") != "read write:statuses" ||
			tok.body["created_at"] == nil || tok.str("refresh_token") == "" {
			t.Fatalf("exchange: %d %s", tok.status, tok.raw)
		}
		if r := exchange(code, verifier); r.str("error") != "invalid_grant" {
			t.Errorf("code reuse: %d %s; want invalid_grant", r.status, r.raw)
		}
		if me := e.get("/test/me", tok.str("access_token")); me.status != http.StatusOK || me.str("username") != "alice" {
			t.Errorf("GET /test/me = %d %s", me.status, me.raw)
		}
		testRefresh(t, e, app, tok)
	})
}

// testRefresh rotates tok's refresh token and checks the old pair is dead.
func testRefresh(t *testing.T, e *env, app testApp, tok reply) {
	t.Helper()
	refresh := func(rt string) reply {
		return e.tokenRequest(app, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
	}
	next := refresh(tok.str("refresh_token"))
	if next.status != http.StatusOK || next.str("access_token") == tok.str("access_token") ||
		next.str("refresh_token") == tok.str("refresh_token") || next.str("scope") != tok.str("scope") {
		t.Fatalf("refresh: %d %s; want a new pair with the same scopes", next.status, next.raw)
	}
	if r := e.get("/test/me", tok.str("access_token")); r.status != http.StatusUnauthorized {
		t.Errorf("old access token after refresh: %d; want 401", r.status)
	}
	if r := refresh(tok.str("refresh_token")); r.str("error") != "invalid_grant" {
		t.Errorf("old refresh token reused: %d %s; want invalid_grant", r.status, r.raw)
	}
	if r := e.get("/test/me", next.str("access_token")); r.status != http.StatusOK {
		t.Errorf("new access token: %d %s", r.status, r.raw)
	}
	other := e.registerApp("read write", "https://other.example/cb")
	r := e.tokenRequest(other, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {next.str("refresh_token")}})
	if r.str("error") != "invalid_grant" {
		t.Errorf("refresh by another client: %d %s; want invalid_grant", r.status, r.raw)
	}
}

func TestAuthorizePageErrors(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, testConfig())
		app := e.registerApp("read", "https://app.example/cb")
		base := func(extra ...string) url.Values {
			q := url.Values{"response_type": {"code"}, "client_id": {app.id}, "redirect_uri": {app.redirect}, "state": {"s1"}}
			for i := 0; i < len(extra); i += 2 {
				q.Set(extra[i], extra[i+1])
			}
			return q
		}
		pageTests := []struct {
			name string
			q    url.Values
		}{
			{"unknown client", base("client_id", "nope")},
			{"unregistered redirect", base("redirect_uri", "https://evil.example/cb")},
		}
		for _, tt := range pageTests {
			p := e.openAuthorize(e.browser(), tt.q)
			if p.status != http.StatusBadRequest || strings.Contains(p.body, "evil.example") || !strings.Contains(p.body, "Authorization failed") {
				t.Errorf("%s: %d; want 400 error page", tt.name, p.status)
			}
		}
		redirectTests := []struct {
			name, want string
			q          url.Values
		}{
			{"scope beyond the app", "invalid_scope", base("scope", "read write")},
			{"unknown scope", "invalid_scope", base("scope", "bogus")},
			{"plain PKCE", "invalid_request", base("code_challenge", strings.Repeat("a", 43), "code_challenge_method", "plain")},
			{"PKCE without method", "invalid_request", base("code_challenge", strings.Repeat("a", 43))},
			{"token response type", "unsupported_response_type", base("response_type", "token")},
		}
		for _, tt := range redirectTests {
			req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/oauth/authorize?"+tt.q.Encode(), nil)
			_, resp := e.browse(e.browser(), req)
			got := redirectParams(t, resp, app.redirect)
			if got.Get("error") != tt.want || got.Get("state") != "s1" {
				t.Errorf("%s: redirected with %v; want error=%s and the state", tt.name, got, tt.want)
			}
		}
	})
}

func TestAuthorizeForm(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, testConfig())
		app := e.registerApp("read", "https://app.example/cb")
		e.createUser("bob", "bob password", nil)
		e.createUser("carol", "carol password", func(u *model.User) { u.Disabled = true })
		e.createUser("dave", "dave password", func(u *model.User) { u.Approved = false })
		e.createUser("erin", "erin password", func(u *model.User) { u.ConfirmedAt = nil })
		q := url.Values{"response_type": {"code"}, "client_id": {app.id}, "redirect_uri": {app.redirect}, "state": {"s"}}
		c := e.browser()
		p := e.openAuthorize(c, q)
		for _, want := range []string{"Tusk Test", "Test App", "read", `name="email"`, `name="password"`, "Authorize", "Deny"} {
			if !strings.Contains(p.body, want) {
				t.Errorf("authorize page lacks %q", want)
			}
		}
		refusals := []struct{ email, password, want string }{
			{"bob@example.org", "wrong password", "Wrong e-mail address or password"},
			{"nobody@example.org", "bob password", "Wrong e-mail address or password"},
			{"carol@example.org", "carol password", "disabled"},
			{"dave@example.org", "dave password", "waiting for approval"},
			{"erin@example.org", "erin password", "not been confirmed"},
		}
		for _, tt := range refusals {
			got, _ := e.submit(c, p, map[string]string{"email": tt.email, "password": tt.password, "decision": "authorize"})
			if got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, tt.want) {
				t.Errorf("sign in as %s: %d; want 422 saying %q", tt.email, got.status, tt.want)
			}
		}
		_, resp := e.submit(c, p, map[string]string{"decision": "deny"})
		if got := redirectParams(t, resp, app.redirect); got.Get("error") != "access_denied" || got.Get("state") != "s" || got.Get("code") != "" {
			t.Errorf("deny: %v; want access_denied with the state", got)
		}
	})
}

func TestAuthorizeCSRF(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, testConfig())
		app := e.registerApp("read", "https://app.example/cb")
		e.createUser("bob", "bob password", nil)
		q := url.Values{"response_type": {"code"}, "client_id": {app.id}, "redirect_uri": {app.redirect}}
		c := e.browser()
		p := e.openAuthorize(c, q)
		creds := map[string]string{"email": "bob@example.org", "password": "bob password", "decision": "authorize"}

		// Another browser (no cookie) posting the same form is refused.
		if got, _ := e.submit(e.browser(), p, creds); got.status != http.StatusForbidden {
			t.Errorf("POST without the cookie: %d; want 403", got.status)
		}
		// A forged token with the right cookie is refused.
		forged := map[string]string{"csrf_token": strings.Repeat("A", 43)}
		for k, v := range creds {
			forged[k] = v
		}
		if got, _ := e.submit(c, p, forged); got.status != http.StatusForbidden {
			t.Errorf("POST with a forged token: %d; want 403", got.status)
		}
		// A browser-marked cross-site POST is refused even with cookie and token.
		form := url.Values{}
		for k, v := range p.fields {
			form[k] = v
		}
		for k, v := range creds {
			form.Set(k, v)
		}
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/oauth/authorize", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if got, _ := e.browse(c, req); got.status != http.StatusForbidden {
			t.Errorf("cross-site POST: %d; want 403", got.status)
		}
		_, resp := e.submit(c, p, creds)
		if got := redirectParams(t, resp, app.redirect); got.Get("code") == "" {
			t.Errorf("same-site POST: %v; want a code", got)
		}
	})
}

func TestAuthorizeOutOfBand(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, testConfig())
		app := e.registerApp("read", oob)
		e.createUser("bob", "bob password", nil)
		c := e.browser()
		p := e.openAuthorize(c, url.Values{"response_type": {"code"}, "client_id": {app.id}, "redirect_uri": {oob}})
		got, _ := e.submit(c, p, map[string]string{"email": "bob@example.org", "password": "bob password", "decision": "authorize"})
		start := strings.Index(got.body, "<code>")
		end := strings.Index(got.body, "</code>")
		if got.status != http.StatusOK || start < 0 || end < start {
			t.Fatalf("oob page: %d %s", got.status, got.body)
		}
		code := got.body[start+len("<code>") : end]
		r := e.tokenRequest(app, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {oob}})
		if r.status != http.StatusOK || r.str("access_token") == "" {
			t.Errorf("exchange oob code: %d %s", r.status, r.raw)
		}
	})
}
