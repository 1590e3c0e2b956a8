package mastoapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/server/servertest"
)

// raw sends a body as-is with the content type, as a misbehaving client might.
func raw(t *testing.T, in *servertest.Instance, token, method, path, contentType, body string) *servertest.Response {
	t.Helper()
	req, err := http.NewRequest(method, in.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return in.Send(t, req)
}

func TestErrorResponses(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		readOnly := in.Token(t, &alice.User.ID, "read")
		appOnly := in.Token(t, nil, "read", "write")
		big := `{"status": "` + strings.Repeat("a", 1<<20) + `"}`
		cases := []struct {
			name        string
			r           *servertest.Response
			code        int
			msg         string // exact when set
			msgContains string
		}{
			{"unknown route", in.Do(t, alice.Token, "GET", "/api/v1/nothing/here", nil), 404, "", ""},
			{"unknown api version", in.Do(t, "", "GET", "/api/v9/instance", nil), 404, "", ""},
			{"no token on home", in.Do(t, "", "GET", "/api/v1/timelines/home", nil), 401, "The access token is invalid", ""},
			{"no token on post", in.Do(t, "", "POST", "/api/v1/statuses", jsonObj{"status": "x"}), 401, "The access token is invalid", ""},
			{"bad token", in.Do(t, "not-a-token", "GET", "/api/v1/timelines/public", nil), 401, "The access token is invalid", ""},
			{"read token posts", in.Do(t, readOnly, "POST", "/api/v1/statuses", jsonObj{"status": "x"}), 403, "This action is outside the authorized scopes", ""},
			{"read token favourites", in.Do(t, readOnly, "POST", "/api/v1/statuses/1/favourite", nil), 403, "This action is outside the authorized scopes", ""},
			{"app token on home", in.Do(t, appOnly, "GET", "/api/v1/timelines/home", nil), 422, "This method requires an authenticated user", ""},
			{"app token posts", in.Do(t, appOnly, "POST", "/api/v1/statuses", jsonObj{"status": "x"}), 422, "This method requires an authenticated user", ""},
			{"body over 1 MiB", raw(t, in, alice.Token, "POST", "/api/v1/statuses", "application/json", big), 413, "", ""},
			{"form over 1 MiB", raw(t, in, alice.Token, "POST", "/api/v1/statuses", "application/x-www-form-urlencoded", "status="+strings.Repeat("a", 1<<20+10)), 413, "", ""},
			{"malformed JSON", raw(t, in, alice.Token, "POST", "/api/v1/statuses", "application/json", `{"status": "x"`), 400, "", "JSON"},
			{"JSON array", raw(t, in, alice.Token, "POST", "/api/v1/statuses", "application/json", `["x"]`), 400, "", "JSON"},
			{"JSON on PATCH", raw(t, in, alice.Token, "PATCH", "/api/v1/accounts/update_credentials", "application/json; charset=utf-8", `{"display_name": `), 400, "", "JSON"},
			{"validation", in.Do(t, alice.Token, "POST", "/api/v1/statuses", jsonObj{"status": " "}), 422, "Validation failed: Text can't be blank", ""},
		}
		for _, c := range cases {
			msg := errorMessage(t, c.r, c.code, c.name)
			if c.msg != "" && msg != c.msg {
				t.Errorf("%s: error = %q; want %q", c.name, msg, c.msg)
			}
			if c.msgContains != "" && !strings.Contains(msg, c.msgContains) {
				t.Errorf("%s: error = %q; want it to mention %q", c.name, msg, c.msgContains)
			}
			if ct := c.r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("%s: Content-Type = %q; want JSON", c.name, ct)
			}
		}
		// Nothing was stored by any of the failed requests.
		if n := statusesCount(t, alice); n != 0 {
			t.Errorf("statuses_count after failed posts = %v; want 0", n)
		}
		for _, path := range []string{"/api/v1/timelines/home", "/api/v1/timelines/public", "/api/v1/accounts/" + idOf(alice.Account.ID) + "/statuses"} {
			if got := idsAt(t, alice, path); len(got) != 0 {
				t.Errorf("%s after failed posts = %v; want empty", path, got)
			}
		}
		if got := field(obj(t, in.Do(t, "", "GET", "/api/v1/instance", nil), 200, "instance"), "stats", "status_count"); got != 0.0 {
			t.Errorf("instance status_count = %v; want 0", got)
		}
		if me := obj(t, alice.Do(t, "GET", "/api/v1/accounts/verify_credentials", nil), 200, "verify"); me["display_name"] != "" {
			t.Errorf("display_name after a malformed update = %q; want unchanged", me["display_name"])
		}
		// An app token may still read what anonymous callers may.
		if r := in.Do(t, appOnly, "GET", "/api/v1/timelines/public", nil); r.Status != 200 {
			t.Errorf("app token on public timeline = %d; want 200", r.Status)
		}
	})
}

// TestIdentityProofsGone: the removed feature answers 410 with an error, never a fake list.
func TestIdentityProofsGone(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		r := alice.Do(t, "GET", "/api/v1/accounts/"+idOf(alice.Account.ID)+"/identity_proofs", nil)
		if msg := errorMessage(t, r, 410, "identity proofs"); !strings.Contains(msg, "removed") {
			t.Errorf("message %q", msg)
		}
		errorMessage(t, alice.Do(t, "GET", "/api/v1/accounts/123456/identity_proofs", nil), 404, "unknown account")
	})
}
