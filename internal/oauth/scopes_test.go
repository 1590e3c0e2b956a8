package oauth

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
)

func TestHasScope(t *testing.T) {
	t.Parallel()
	tests := []struct {
		granted []string
		want    string
		ok      bool
	}{
		{[]string{"read"}, "read", true},
		{[]string{"read"}, "read:statuses", true},
		{[]string{"read"}, "write:statuses", false},
		{[]string{"read"}, "admin:read:accounts", false},
		{[]string{"read:statuses"}, "read", false},
		{[]string{"read:statuses"}, "read:accounts", false},
		{[]string{"write"}, "write:media", true},
		{[]string{"follow"}, "write:follows", true},
		{[]string{"follow"}, "read:blocks", true},
		{[]string{"follow"}, "write:mutes", true},
		{[]string{"follow"}, "write:statuses", false},
		{[]string{"admin:read"}, "admin:read:reports", true},
		{[]string{"admin:read"}, "admin:write:reports", false},
		{[]string{"admin:write"}, "admin:write:accounts", true},
		{[]string{"profile"}, "profile", true},
		{[]string{"read"}, "profile", true},
		{[]string{"read:accounts"}, "profile", true},
		{[]string{"profile"}, "read:accounts", false},
		{[]string{"push"}, "push", true},
		{[]string{"write", "push"}, "push", true},
		{nil, "read", false},
		{[]string{"readx"}, "readx:statuses", false},
	}
	for _, tt := range tests {
		if got := HasScope(tt.granted, tt.want); got != tt.ok {
			t.Errorf("HasScope(%q, %q) = %v; want %v", tt.granted, tt.want, got, tt.ok)
		}
	}
}

func TestParseScopes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, def string
		want    []string
		ok      bool
	}{
		{"", "read", []string{"read"}, true},
		{"read  write read", "", []string{"read", "write"}, true},
		{"read:statuses admin:write:accounts", "", []string{"read:statuses", "admin:write:accounts"}, true},
		{"read bogus", "", nil, false},
		{"read:everything", "", nil, false},
	}
	for _, tt := range tests {
		got, ok := parseScopes(tt.in, tt.def)
		if ok != tt.ok || len(got) != len(tt.want) {
			t.Errorf("parseScopes(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("parseScopes(%q) = %q; want %q", tt.in, got, tt.want)
			}
		}
	}
}

func TestRequireHelpers(t *testing.T) {
	t.Parallel()
	user := &Auth{Token: &model.Token{Scopes: []string{"read", "write:statuses"}}, User: &model.User{}, Account: &model.Account{}}
	app := &Auth{Token: &model.Token{Scopes: []string{"read"}}}
	type helper func(*http.Request, string) (*Auth, error)
	tests := []struct {
		name   string
		fn     helper
		auth   *Auth
		scope  string
		status int // 0: allowed
		isNil  bool
	}{
		{"user: anonymous", RequireUser, nil, "read", 401, true},
		{"user: user token", RequireUser, user, "read:statuses", 0, false},
		{"user: missing scope", RequireUser, user, "write:follows", 403, true},
		{"user: app token", RequireUser, app, "read", 422, true},
		{"user: app token without scope", RequireUser, app, "write", 403, true},
		{"user: no scope asked", RequireUser, user, "", 0, false},
		{"app: anonymous", RequireApp, nil, "read", 401, true},
		{"app: app token", RequireApp, app, "read:statuses", 0, false},
		{"app: user token", RequireApp, user, "read", 0, false},
		{"app: missing scope", RequireApp, app, "write:statuses", 403, true},
		{"optional: anonymous", Optional, nil, "read", 0, true},
		{"optional: with scope", Optional, app, "read:statuses", 0, false},
		{"optional: without scope", Optional, app, "write:statuses", 403, true},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		if tt.auth != nil {
			r = r.WithContext(WithAuth(r.Context(), tt.auth))
		}
		got, err := tt.fn(r, tt.scope)
		if (got == nil) != tt.isNil || statusOf(err) != tt.status {
			t.Errorf("%s: got %v, %v; want nil=%v status %d", tt.name, got, err, tt.isNil, tt.status)
		}
	}
}

func statusOf(err error) int {
	var he *httpx.Error
	if errors.As(err, &he) {
		return he.Code
	}
	if err != nil {
		return -1
	}
	return 0
}
