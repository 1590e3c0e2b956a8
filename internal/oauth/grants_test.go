package oauth

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

func TestClientCredentials(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, testConfig())
		app := e.registerApp("read write", "https://app.example/cb")
		r := e.tokenRequest(app, url.Values{"grant_type": {"client_credentials"}})
		if r.status != http.StatusOK || r.str("scope") != "read" || r.body["refresh_token"] != nil {
			t.Fatalf("client_credentials: %d %s; want scope read and no refresh token", r.status, r.raw)
		}
		tok := r.str("access_token")
		if got := e.get("/test/open", tok); got.status != http.StatusOK || got.body["anonymous"] != false {
			t.Errorf("app token on an open endpoint: %d %s", got.status, got.raw)
		}
		if got := e.get("/test/me", tok); got.status != http.StatusUnprocessableEntity || got.str("error") != "This method requires an authenticated user" {
			t.Errorf("app token on a user endpoint: %d %s; want 422", got.status, got.raw)
		}
		if r := e.tokenRequest(app, url.Values{"grant_type": {"client_credentials"}, "scope": {"admin:read"}}); r.str("error") != "invalid_scope" {
			t.Errorf("scope beyond the app: %d %s; want invalid_scope", r.status, r.raw)
		}
	})
}

func TestTokenEndpointErrors(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, testConfig())
		app := e.registerApp("read", "https://app.example/cb")
		tests := []struct {
			name   string
			form   url.Values
			status int
			want   string
		}{
			{"wrong secret", url.Values{"grant_type": {"client_credentials"}, "client_id": {app.id}, "client_secret": {"nope"}}, 401, "invalid_client"},
			{"unknown client", url.Values{"grant_type": {"client_credentials"}, "client_id": {"nope"}, "client_secret": {app.secret}}, 401, "invalid_client"},
			{"no grant type", url.Values{"client_id": {app.id}, "client_secret": {app.secret}}, 400, "invalid_request"},
			{"unknown grant", url.Values{"grant_type": {"implicit"}, "client_id": {app.id}, "client_secret": {app.secret}}, 400, "unsupported_grant_type"},
			{"no code", url.Values{"grant_type": {"authorization_code"}, "client_id": {app.id}, "client_secret": {app.secret}}, 400, "invalid_request"},
			{"unknown code", url.Values{"grant_type": {"authorization_code"}, "code": {"nope"}, "client_id": {app.id}, "client_secret": {app.secret}}, 400, "invalid_grant"},
		}
		for _, tt := range tests {
			r := e.post("/oauth/token", tt.form, "")
			if r.status != tt.status || r.str("error") != tt.want || r.str("error_description") == "" {
				t.Errorf("%s: %d %s; want %d %s with a description", tt.name, r.status, r.raw, tt.status, tt.want)
			}
		}
		// HTTP Basic client authentication works as well as form parameters.
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/oauth/token", strings.NewReader("grant_type=client_credentials"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(app.id, app.secret)
		if r := e.do(req); r.status != http.StatusOK || r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("basic auth: %d %s; want 200 and no-store", r.status, r.raw)
		}
	})
}

func TestPasswordGrant(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, testConfig())
		app := e.registerApp("read write", "https://app.example/cb")
		e.createUser("alice", "alice password", nil)
		e.createUser("otto", "otto password", func(u *model.User) { u.OTPEnabled = true })
		e.createUser("carol", "carol password", func(u *model.User) { u.Disabled = true })
		r := e.passwordToken(app, "alice@example.org", "alice password", "read write")
		if r.status != http.StatusOK || r.str("scope") != "read write" {
			t.Fatalf("password grant: %d %s", r.status, r.raw)
		}
		if me := e.get("/test/me", r.str("access_token")); me.str("username") != "alice" {
			t.Errorf("password token: %d %s", me.status, me.raw)
		}
		refused := []struct{ email, password string }{
			{"alice@example.org", "wrong password"},
			{"otto@example.org", "otto password"},
			{"carol@example.org", "carol password"},
		}
		for _, tt := range refused {
			if r := e.passwordToken(app, tt.email, tt.password, "read"); r.status != http.StatusBadRequest || r.str("error") != "invalid_grant" {
				t.Errorf("password grant for %s: %d %s; want 400 invalid_grant", tt.email, r.status, r.raw)
			}
		}
		cfg := testConfig()
		cfg.OAuthPasswordGrant = false
		off := newEnv(t, st, cfg)
		if r := off.passwordToken(app, "alice@example.org", "alice password", "read"); r.status != http.StatusBadRequest || r.str("error") != "unsupported_grant_type" {
			t.Errorf("password grant switched off: %d %s; want 400 unsupported_grant_type", r.status, r.raw)
		}
	})
}

func TestRevoke(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, testConfig())
		app := e.registerApp("read", "https://app.example/cb")
		other := e.registerApp("read", "https://other.example/cb")
		e.createUser("alice", "alice password", nil)
		tok := e.passwordToken(app, "alice@example.org", "alice password", "read").str("access_token")
		revoke := func(a testApp, token string) reply {
			return e.post("/oauth/revoke", url.Values{"client_id": {a.id}, "client_secret": {a.secret}, "token": {token}}, "")
		}
		if r := revoke(other, tok); r.status != http.StatusForbidden || r.str("error") != "unauthorized_client" {
			t.Errorf("revoke by another client: %d %s; want 403", r.status, r.raw)
		}
		if r := e.get("/test/me", tok); r.status != http.StatusOK {
			t.Fatalf("token after a refused revoke: %d; want still valid", r.status)
		}
		if r := revoke(app, tok); r.status != http.StatusOK || r.raw != "{}\n" {
			t.Errorf("revoke: %d %q; want 200 {}", r.status, r.raw)
		}
		if r := e.get("/test/me", tok); r.status != http.StatusUnauthorized || r.str("error") != "The access token is invalid" {
			t.Errorf("revoked token: %d %s; want 401", r.status, r.raw)
		}
		if r := revoke(app, "never-issued"); r.status != http.StatusOK {
			t.Errorf("revoke unknown token: %d; want 200", r.status)
		}
		if r := e.post("/oauth/revoke", url.Values{"client_id": {app.id}, "client_secret": {"x"}, "token": {tok}}, ""); r.status != http.StatusUnauthorized {
			t.Errorf("revoke with wrong secret: %d; want 401", r.status)
		}
	})
}

func TestAuthenticateMiddleware(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		e := newEnv(t, st, testConfig())
		app := e.registerApp("read write", "https://app.example/cb")
		alice := e.createUser("alice", "alice password", nil)
		tok := e.passwordToken(app, "alice@example.org", "alice password", "read write").str("access_token")
		bob := e.createUser("bob", "bob password", nil)
		bobTok := e.passwordToken(app, "bob@example.org", "bob password", "read").str("access_token")
		bob.Disabled = true
		if err := st.Writer().UpdateUser(ctx, bob); err != nil {
			t.Fatal(err)
		}
		sam := e.createUser("sam", "sam password", nil)
		samTok := e.passwordToken(app, "sam@example.org", "sam password", "read").str("access_token")
		now := time.Now()
		if err := st.Writer().SetAccountSuspended(ctx, sam.AccountID, &now); err != nil {
			t.Fatal(err)
		}
		expired := &model.Token{UserID: &alice.ID, Scopes: []string{"read"}, ExpiresAt: past()}
		if err := st.Writer().InsertToken(ctx, expired, HashSecret("expired-secret"), ""); err != nil {
			t.Fatal(err)
		}
		readOnly := e.passwordToken(app, "alice@example.org", "alice password", "read:statuses").str("access_token")
		tests := []struct {
			name   string
			path   string
			token  string
			status int
		}{
			{"anonymous on open endpoint", "/test/open", "", 200},
			{"anonymous on user endpoint", "/test/me", "", 401},
			{"unknown token", "/test/open", "garbage", 401},
			{"expired token", "/test/open", "expired-secret", 401},
			{"disabled user", "/test/open", bobTok, 401},
			{"suspended account", "/test/open", samTok, 401},
			{"valid token", "/test/me", tok, 200},
			{"query parameter", "/test/me?access_token=" + url.QueryEscape(tok), "", 200},
			{"token without the scope", "/test/me", readOnly, 403},
			{"stale token on the OAuth endpoints", "/.well-known/oauth-authorization-server", "garbage", 200},
		}
		for _, tt := range tests {
			r := e.get(tt.path, tt.token)
			if r.status != tt.status {
				t.Errorf("%s: %d %s; want %d", tt.name, r.status, r.raw, tt.status)
			}
			if tt.status == 401 && tt.token != "" && (r.str("error") != "The access token is invalid" || r.header.Get("WWW-Authenticate") == "") {
				t.Errorf("%s: %s; want Mastodon's invalid token error and WWW-Authenticate", tt.name, r.raw)
			}
		}
		// A form body carrying access_token stays readable by the handler.
		r := e.post("/test/form", url.Values{"access_token": {tok}, "status": {"hello"}}, "")
		if r.status != http.StatusOK || r.str("status") != "hello" || r.str("username") != "alice" {
			t.Errorf("access_token in a form body: %d %s", r.status, r.raw)
		}
	})
}

// TestConcurrentRefreshOnlyOneWins refreshes one token from several clients at once:
// a refresh token is single use, so exactly one request may get a new pair.
func TestConcurrentRefreshOnlyOneWins(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, testConfig())
		app := e.registerApp("read", "https://app.example/cb")
		e.createUser("alice", "alice password", nil)
		first := e.passwordToken(app, "alice@example.org", "alice password", "read")
		form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first.str("refresh_token")}}
		const racers = 6
		results := make(chan int, racers)
		for i := 0; i < racers; i++ {
			own := url.Values{} // tokenRequest adds the client's credentials to the form it gets
			for k, v := range form {
				own[k] = v
			}
			go func() { results <- e.tokenRequest(app, own).status }()
		}
		wins := 0
		for i := 0; i < racers; i++ {
			if <-results == http.StatusOK {
				wins++
			}
		}
		if wins != 1 {
			t.Errorf("%d of %d concurrent refreshes succeeded; want exactly 1", wins, racers)
		}
	})
}
