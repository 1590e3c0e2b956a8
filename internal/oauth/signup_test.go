package oauth

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

func signUpForm(username string) url.Values {
	return url.Values{"username": {username}, "email": {username + "@example.org"}, "password": {"sign-up password"},
		"agreement": {"true"}, "locale": {"en"}, "reason": {"I like tusks"}}
}

func TestSignUp(t *testing.T) {
	tests := []struct {
		mode     string
		status   int
		canLogIn bool
	}{
		{config.RegistrationsOpen, http.StatusOK, true},
		{config.RegistrationsApproval, http.StatusOK, false},
		{config.RegistrationsClosed, http.StatusForbidden, false},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			storetest.Engines(t, func(t *testing.T, st *store.Store) {
				cfg := testConfig()
				cfg.Registrations = tt.mode
				e := newEnv(t, st, cfg)
				app := e.registerApp("read write", "https://app.example/cb")
				r := e.post("/api/v1/accounts", signUpForm("newbie"), e.clientToken(app, "write"))
				if r.status != tt.status {
					t.Fatalf("sign-up: %d %s; want %d", r.status, r.raw, tt.status)
				}
				if tt.status != http.StatusOK {
					if r.str("error") == "" {
						t.Errorf("refusal has no error message: %s", r.raw)
					}
					return
				}
				if r.str("token_type") != "Bearer" || r.str("scope") != "read write" {
					t.Errorf("sign-up token: %s", r.raw)
				}
				// As on Mastodon, the token is refused with 403 until the address is confirmed.
				token := r.str("access_token")
				me := e.get("/test/me", token)
				if me.status != http.StatusForbidden || me.str("error") != "Your login is missing a confirmed e-mail address" {
					t.Errorf("unconfirmed member's token: %d %s; want 403", me.status, me.raw)
				}
				if g := e.tokenRequest(app, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {r.str("refresh_token")}}); g.status != http.StatusBadRequest || g.str("error") != "invalid_grant" {
					t.Errorf("refresh before confirming: %d %s; want 400 invalid_grant", g.status, g.raw)
				}
				if g := e.passwordToken(app, "newbie@example.org", "sign-up password", "read"); g.status != http.StatusBadRequest || g.str("error") != "invalid_grant" {
					t.Errorf("password grant before confirming: %d %s; want 400 invalid_grant", g.status, g.raw)
				}
				ctx := context.Background()
				u, err := st.UserByEmail(ctx, "newbie@example.org")
				if err != nil || u.SignupReason != "I like tusks" || u.Locale != "en" || u.ConfirmedAt != nil {
					t.Fatalf("stored user: %+v, %v", u, err)
				}
				now := time.Now()
				u.ConfirmedAt = &now
				if err := st.Writer().UpdateUser(ctx, u); err != nil {
					t.Fatal(err)
				}
				me = e.get("/test/me", token)
				wantStatus, wantError := http.StatusForbidden, "Your login is currently pending approval"
				if tt.canLogIn {
					wantStatus, wantError = http.StatusOK, ""
				}
				if me.status != wantStatus || me.str("error") != wantError {
					t.Errorf("confirmed member's token: %d %s; want %d %q", me.status, me.raw, wantStatus, wantError)
				}
			})
		})
	}
}

func TestSignUpValidation(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		cfg := testConfig()
		cfg.Registrations = config.RegistrationsApproval
		e := newEnv(t, st, cfg)
		app := e.registerApp("read write", "https://app.example/cb")
		tok := e.clientToken(app, "write")
		if r := e.post("/api/v1/accounts", signUpForm("first"), tok); r.status != http.StatusOK {
			t.Fatalf("first sign-up: %d %s", r.status, r.raw)
		}
		bad := signUpForm("FIRST")
		bad.Set("agreement", "false")
		bad.Del("reason")
		bad.Set("password", "short")
		r := e.post("/api/v1/accounts", bad, tok)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("invalid sign-up: %d %s; want 422", r.status, r.raw)
		}
		details, _ := r.body["details"].(map[string]any)
		wantCodes := map[string]string{"username": "ERR_TAKEN", "email": "ERR_TAKEN", "password": "ERR_TOO_SHORT",
			"agreement": "ERR_ACCEPTED", "reason": "ERR_BLANK"}
		for field, code := range wantCodes {
			list, _ := details[field].([]any)
			if len(list) == 0 || list[0].(map[string]any)["error"] != code {
				t.Errorf("details[%s] = %v; want %s", field, details[field], code)
			}
		}
		if r.str("error") == "" || r.str("error")[:18] != "Validation failed:" {
			t.Errorf("error = %q; want Validation failed: …", r.str("error"))
		}
		if r := e.post("/api/v1/accounts", signUpForm("second"), ""); r.status != http.StatusUnauthorized {
			t.Errorf("sign-up without a token: %d; want 401", r.status)
		}
		if r := e.post("/api/v1/accounts", signUpForm("second"), e.clientToken(app, "read")); r.status != http.StatusForbidden {
			t.Errorf("sign-up with a read token: %d; want 403", r.status)
		}
	})
}

func TestMetadata(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, testConfig())
		r := e.get("/.well-known/oauth-authorization-server", "")
		if r.status != http.StatusOK {
			t.Fatalf("metadata: %d %s", r.status, r.raw)
		}
		wantStrings := map[string]string{
			"issuer":                    "http://example.test/",
			"authorization_endpoint":    "http://example.test/oauth/authorize",
			"token_endpoint":            "http://example.test/oauth/token",
			"revocation_endpoint":       "http://example.test/oauth/revoke",
			"app_registration_endpoint": "http://example.test/api/v1/apps",
		}
		for k, v := range wantStrings {
			if r.str(k) != v {
				t.Errorf("%s = %q; want %q", k, r.str(k), v)
			}
		}
		lists := map[string][]string{
			"response_types_supported":              {"code"},
			"code_challenge_methods_supported":      {"S256"},
			"grant_types_supported":                 {"authorization_code", "client_credentials", "refresh_token", "password"},
			"token_endpoint_auth_methods_supported": {"client_secret_basic", "client_secret_post"},
		}
		for k, want := range lists {
			got, _ := r.body[k].([]any)
			if len(got) != len(want) {
				t.Errorf("%s = %v; want %v", k, got, want)
				continue
			}
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("%s = %v; want %v", k, got, want)
				}
			}
		}
		scopes, _ := r.body["scopes_supported"].([]any)
		if len(scopes) != len(scopeList) || scopes[0] != "read" {
			t.Errorf("scopes_supported = %v", scopes)
		}
	})
}
