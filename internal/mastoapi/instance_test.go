package mastoapi_test

import (
	"testing"

	"github.com/tuskhq/tusk/internal/server/servertest"
)

func TestInstanceV1(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		in.NewMember(t, "bob")
		say(t, alice, "one")
		say(t, alice, "two")
		remoteStatus(t, in, "not counted")
		v := obj(t, in.Do(t, "", "GET", "/api/v1/instance", nil), 200, "instance v1")
		conforms(t, "V1Instance", v)
		if v["uri"] != in.Config.LocalDomain || v["title"] != in.Config.SiteTitle {
			t.Errorf("uri, title = %v, %v; want %s, %s", v["uri"], v["title"], in.Config.LocalDomain, in.Config.SiteTitle)
		}
		if u, s, d := field(v, "stats", "user_count"), field(v, "stats", "status_count"), field(v, "stats", "domain_count"); u != 2.0 || s != 2.0 || d != 1.0 {
			t.Errorf("stats = users %v statuses %v domains %v; want 2 local users, 2 local statuses, 1 domain", u, s, d)
		}
		if m, c := field(v, "configuration", "statuses", "max_characters"), field(v, "configuration", "statuses", "characters_reserved_per_url"); m != 500.0 || c != 23.0 {
			t.Errorf("statuses configuration = %v chars, %v per URL; want 500, 23", m, c)
		}
		if s, _ := field(v, "urls", "streaming_api").(string); s != "ws://"+in.Config.WebDomain && s != "wss://"+in.Config.WebDomain {
			t.Errorf("streaming_api = %q", s)
		}
	})
}

func TestInstanceV2(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		in.NewMember(t, "bob")
		say(t, alice, "active")
		for _, token := range []string{"", alice.Token} {
			v := obj(t, in.Do(t, token, "GET", "/api/v2/instance", nil), 200, "instance v2")
			conforms(t, "Instance", v)
			if v["domain"] != in.Config.LocalDomain || v["title"] != in.Config.SiteTitle {
				t.Errorf("domain, title = %v, %v", v["domain"], v["title"])
			}
			if got := field(v, "usage", "users", "active_month"); got != 1.0 {
				t.Errorf("active_month = %v; want 1 (only alice posted)", got)
			}
			if got := field(v, "configuration", "statuses", "max_characters"); got != 500.0 {
				t.Errorf("max_characters = %v; want 500", got)
			}
			if got := field(v, "configuration", "accounts", "max_profile_fields"); got != 4.0 {
				t.Errorf("max_profile_fields = %v; want 4", got)
			}
			if _, ok := field(v, "registrations", "enabled").(bool); !ok {
				t.Errorf("registrations.enabled = %v; want a boolean", field(v, "registrations", "enabled"))
			}
		}
	})
}

func TestHealth(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		r := in.Do(t, "", "GET", "/health", nil)
		if r.Status != 200 || string(r.Body) != "OK" {
			t.Errorf("/health = %d %q; want 200 OK", r.Status, r.Body)
		}
	})
}
