package mastoapi_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/server/servertest"
)

func TestProfileGetAndUpdate(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		p := obj(t, alice.Do(t, "GET", "/api/v1/profile", nil), 200, "GET profile")
		conforms(t, "Profile", p)
		if p["id"] != idOf(alice.Account.ID) || p["avatar"] != nil || p["header"] != nil || p["show_media"] != true || len(p["attribution_domains"].([]any)) != 0 {
			t.Errorf("default profile = %v", p)
		}
		p = obj(t, alice.Do(t, "PATCH", "/api/v1/profile", jsonObj{
			"display_name": "Alice", "note": "Hi #tusk", "show_media": false, "show_featured": "false",
			"attribution_domains": []string{"Articles.Example.com", " blog.example.org "},
			"avatar_description":  "a cat", "fields_attributes": []jsonObj{{"name": "Pronouns", "value": "she/her"}},
			"hide_collections": false, "indexable": true,
		}), 200, "PATCH profile")
		conforms(t, "Profile", p)
		if p["display_name"] != "Alice" || p["note"] != "Hi #tusk" || p["show_media"] != false || p["show_featured"] != false ||
			p["show_media_replies"] != true || p["avatar_description"] != "a cat" || field(p, "fields") == nil {
			t.Errorf("updated profile = %v", p)
		}
		if got := p["attribution_domains"]; !slices.Equal(toStrings(got), []string{"articles.example.com", "blog.example.org"}) {
			t.Errorf("attribution_domains = %v", got)
		}
		obj(t, alice.Do(t, "POST", "/api/v1/featured_tags", jsonObj{"name": "tusk"}), 200, "feature a tag")
		again := obj(t, alice.Do(t, "GET", "/api/v1/profile", nil), 200, "GET profile again")
		if tags := again["featured_tags"].([]any); len(tags) != 1 || tags[0].(map[string]any)["name"] != "tusk" {
			t.Errorf("featured_tags = %v; want tusk", again["featured_tags"])
		}
		if again["avatar_description"] != "a cat" || again["show_media"] != false || len(again["fields"].([]any)) != 1 {
			t.Errorf("profile was not saved: %v", again)
		}
		me := obj(t, alice.Do(t, "GET", "/api/v1/accounts/verify_credentials", nil), 200, "verify_credentials")
		if me["display_name"] != "Alice" || !strings.Contains(me["note"].(string), "<p>") {
			t.Errorf("account after profile update = %v, %v", me["display_name"], me["note"])
		}
	})
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func TestProfileBadInput(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		many := make([]string, 11)
		for i := range many {
			many[i] = "d" + idOf(int64(i)) + ".example"
		}
		for name, body := range map[string]jsonObj{
			"long display name":  {"display_name": strings.Repeat("x", 31)},
			"long description":   {"header_description": strings.Repeat("x", 1501)},
			"too many domains":   {"attribution_domains": many},
			"not a domain":       {"attribution_domains": []string{"not a domain"}},
			"hidden collections": {"hide_collections": true},
			"indexable mismatch": {"indexable": false},
			"not a boolean":      {"show_media": "perhaps"},
			"too many fields":    {"fields_attributes": []jsonObj{{"name": "1"}, {"name": "2"}, {"name": "3"}, {"name": "4"}, {"name": "5"}}},
		} {
			errorMessage(t, alice.Do(t, "PATCH", "/api/v1/profile", body), 422, name)
		}
		// Changing discoverable and indexable together is fine.
		p := obj(t, alice.Do(t, "PATCH", "/api/v1/profile", jsonObj{"discoverable": false, "indexable": false}), 200, "undiscoverable")
		if p["discoverable"] != false || p["indexable"] != false {
			t.Errorf("discoverable, indexable = %v, %v; want false, false", p["discoverable"], p["indexable"])
		}

		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("avatar", "me.png")
		fw.Write([]byte("\x89PNG"))
		mw.Close()
		req, _ := http.NewRequest("PATCH", in.URL+"/api/v1/profile", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+alice.Token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 422 {
			t.Errorf("truncated PNG avatar upload = %d; want 422", res.StatusCode)
		}
	})
}

func TestProfileScopes(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		want(t, in.Do(t, "", "GET", "/api/v1/profile", nil), 401, "anonymous GET profile")
		want(t, in.Do(t, in.Token(t, &alice.User.ID, "read:statuses"), "GET", "/api/v1/profile", nil), 403, "GET profile with read:statuses")
		want(t, in.Do(t, in.Token(t, &alice.User.ID, "profile"), "GET", "/api/v1/profile", nil), 200, "GET profile with profile")
		want(t, in.Do(t, in.Token(t, &alice.User.ID, "read"), "PATCH", "/api/v1/profile", jsonObj{"display_name": "x"}), 403, "PATCH with read")
		want(t, in.Do(t, in.Token(t, nil, "read", "write"), "PATCH", "/api/v1/profile", jsonObj{"display_name": "x"}), 422, "PATCH with an app token")
		want(t, in.Do(t, in.Token(t, &alice.User.ID, "read"), "DELETE", "/api/v1/profile/avatar", nil), 403, "DELETE avatar with read")
	})
}

func TestProfileClearImages(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		for _, m := range []*servertest.Member{alice, bob} {
			// Until media uploads land, set the images as federation would for a remote account.
			if _, err := in.Store.DB().ExecContext(context.Background(), `UPDATE accounts SET avatar_remote_url = $1,
				header_remote_url = $2 WHERE id = $3`, "https://img.example/a.png", "https://img.example/h.png", m.Account.ID); err != nil {
				t.Fatal(err)
			}
		}
		obj(t, alice.Do(t, "PATCH", "/api/v1/profile", jsonObj{"avatar_description": "a cat", "header_description": "a hill"}), 200, "describe")

		me := obj(t, alice.Do(t, "DELETE", "/api/v1/profile/avatar", nil), 200, "DELETE avatar")
		conforms(t, "CredentialAccount", me)
		if !strings.HasSuffix(me["avatar"].(string), "/avatars/original/missing.png") || me["header"] != "https://img.example/h.png" {
			t.Errorf("after DELETE avatar: avatar %v header %v", me["avatar"], me["header"])
		}
		p := obj(t, alice.Do(t, "GET", "/api/v1/profile", nil), 200, "GET profile")
		if p["avatar"] != nil || p["avatar_description"] != "" || p["header"] != "https://img.example/h.png" || p["header_description"] != "a hill" {
			t.Errorf("profile after DELETE avatar = %v", p)
		}
		obj(t, alice.Do(t, "DELETE", "/api/v1/profile/avatar", nil), 200, "DELETE avatar twice")
		me = obj(t, alice.Do(t, "DELETE", "/api/v1/profile/header", nil), 200, "DELETE header")
		if !strings.HasSuffix(me["header"].(string), "/headers/original/missing.png") {
			t.Errorf("after DELETE header: header %v", me["header"])
		}
		other := obj(t, bob.Do(t, "GET", "/api/v1/profile", nil), 200, "bob's profile")
		if other["avatar"] != "https://img.example/a.png" || other["header"] != "https://img.example/h.png" {
			t.Errorf("alice's deletes touched bob: %v", other)
		}
	})
}

func TestOAuthUserinfo(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		obj(t, alice.Do(t, "PATCH", "/api/v1/profile", jsonObj{"display_name": "Alice Liddell"}), 200, "name")
		claims := obj(t, in.Do(t, in.Token(t, &alice.User.ID, "profile"), "GET", "/oauth/userinfo", nil), 200, "userinfo")
		wantClaims := map[string]string{"iss": in.URL + "/", "sub": in.URL + "/users/alice", "name": "Alice Liddell",
			"preferred_username": "alice", "profile": in.URL + "/@alice", "picture": in.URL + "/avatars/original/missing.png"}
		for k, v := range wantClaims {
			if claims[k] != v {
				t.Errorf("claim %s = %v; want %q", k, claims[k], v)
			}
		}
		if _, ok := claims["email"]; ok {
			t.Error("userinfo shows the e-mail address")
		}
		want(t, in.Do(t, "", "GET", "/oauth/userinfo", nil), 401, "userinfo without a token")
		want(t, in.Do(t, "not-a-token", "GET", "/oauth/userinfo", nil), 401, "userinfo with a bad token")
		want(t, in.Do(t, in.Token(t, &alice.User.ID, "write:statuses"), "GET", "/oauth/userinfo", nil), 403, "userinfo without profile")
		want(t, in.Do(t, in.Token(t, nil, "profile"), "GET", "/oauth/userinfo", nil), 422, "userinfo with an app token")
		meta := obj(t, in.Do(t, "", "GET", "/.well-known/oauth-authorization-server", nil), 200, "metadata")
		if meta["userinfo_endpoint"] != in.URL+"/oauth/userinfo" {
			t.Errorf("userinfo_endpoint = %v", meta["userinfo_endpoint"])
		}
	})
}
