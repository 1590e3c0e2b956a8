package federation_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/server/servertest"
)

func TestWebFingerEverySpelling(t *testing.T) {
	const web = "social.example.test"
	servedEngines(t, func(c *config.Config) { c.WebDomain = web }, func(t *testing.T, in *servertest.Instance) {
		in.NewMember(t, "alice")
		local := in.Config.LocalDomain
		base := "http://" + web
		for _, resource := range []string{
			"acct:alice@" + local, "acct:alice@" + web, "acct:ALICE@" + strings.ToUpper(local), "alice@" + local,
			"ACCT:alice@" + local, base + "/users/alice", base + "/@alice",
		} {
			r := fetchPath(t, in, "/.well-known/webfinger?resource="+url.QueryEscape(resource), "")
			if r.Status != 200 || r.Header.Get("Content-Type") != "application/jrd+json; charset=utf-8" {
				t.Fatalf("webfinger %q = %d %q %s", resource, r.Status, r.Header.Get("Content-Type"), r.Body)
			}
			var jrd struct {
				Subject string
				Aliases []string
				Links   []map[string]string
			}
			decodeStrict(t, r.Body, &jrd)
			if jrd.Subject != "acct:alice@"+local || len(jrd.Aliases) != 2 || jrd.Aliases[1] != base+"/users/alice" {
				t.Fatalf("webfinger %q = %+v", resource, jrd)
			}
			rels := map[string]map[string]string{}
			for _, l := range jrd.Links {
				rels[l["rel"]] = l
			}
			if self := rels["self"]; self["type"] != "application/activity+json" || self["href"] != base+"/users/alice" {
				t.Fatalf("self link = %v", self)
			}
			if p := rels["http://webfinger.net/rel/profile-page"]; p["type"] != "text/html" || p["href"] != base+"/@alice" {
				t.Fatalf("profile link = %v", p)
			}
			if sub := rels["http://ostatus.org/schema/1.0/subscribe"]; sub["template"] != base+"/authorize_interaction?uri={uri}" {
				t.Fatalf("subscribe link = %v", sub)
			}
			if r.Header.Get("Access-Control-Allow-Origin") != "*" {
				t.Fatalf("webfinger without CORS")
			}
		}
		for _, resource := range []string{"acct:" + local + "@" + local, base + "/actor"} {
			r := fetchPath(t, in, "/.well-known/webfinger?resource="+url.QueryEscape(resource), "")
			var jrd jsonObj
			r.JSON(t, &jrd)
			if r.Status != 200 || jrd["subject"] != "acct:"+local+"@"+local || jrd["aliases"].([]any)[0] != base+"/actor" {
				t.Fatalf("instance actor webfinger %q = %d %s", resource, r.Status, r.Body)
			}
		}
		for resource, code := range map[string]int{
			"": 400, "acct:nobody@" + local: 404, "acct:alice@elsewhere.test": 404, "acct:alice": 404,
			"https://elsewhere.test/users/alice": 404, base + "/users/alice/statuses/1": 404, "acct:@" + local: 404,
		} {
			r := fetchPath(t, in, "/.well-known/webfinger?resource="+url.QueryEscape(resource), "")
			if r.Status != code || !strings.Contains(string(r.Body), `"error"`) {
				t.Fatalf("webfinger %q = %d %s; want %d with an error", resource, r.Status, r.Body, code)
			}
		}
	})
}

func TestWebFingerShapeMatchesMastodon(t *testing.T) {
	servedEngines(t, nil, func(t *testing.T, in *servertest.Instance) {
		in.NewMember(t, "alice")
		r := fetchPath(t, in, "/.well-known/webfinger?resource=acct:alice@"+in.Config.LocalDomain, "")
		var got jsonObj
		r.JSON(t, &got)
		if missing := missingKeys(reference(t, "mastodon-webfinger.json"), got); len(missing) > 0 {
			t.Fatalf("webfinger lacks %v", missing)
		}
	})
}

func TestHostMeta(t *testing.T) {
	servedEngines(t, nil, func(t *testing.T, in *servertest.Instance) {
		template := in.Config.BaseURL() + "/.well-known/webfinger?resource={uri}"
		r := fetchPath(t, in, "/.well-known/host-meta", "")
		if r.Status != 200 || r.Header.Get("Content-Type") != "application/xrd+xml; charset=utf-8" ||
			!strings.Contains(string(r.Body), `<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">`) ||
			!strings.Contains(string(r.Body), `rel="lrdd"`) || !strings.Contains(string(r.Body), `template="`+template+`"`) {
			t.Fatalf("host-meta = %d %q %s", r.Status, r.Header.Get("Content-Type"), r.Body)
		}
		r = fetchPath(t, in, "/.well-known/host-meta.json", "")
		var v struct{ Links []map[string]string }
		decodeStrict(t, r.Body, &v)
		if r.Status != 200 || len(v.Links) != 1 || v.Links[0]["rel"] != "lrdd" || v.Links[0]["template"] != template {
			t.Fatalf("host-meta.json = %d %s", r.Status, r.Body)
		}
	})
}

type nodeInfo struct {
	Version  string
	Software struct {
		Name, Version, Repository, Homepage string
	}
	Protocols []string
	Services  struct{ Outbound, Inbound []string }
	Usage     struct {
		Users struct {
			Total, ActiveMonth, ActiveHalfyear int64
		}
		LocalPosts int64
	}
	OpenRegistrations bool
	Metadata          map[string]any
}

func TestNodeInfo(t *testing.T) {
	servedEngines(t, func(c *config.Config) { c.SiteTitle, c.Registrations = "Tusk Test", config.RegistrationsOpen }, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		in.NewMember(t, "bob")
		r := fetchPath(t, in, "/.well-known/nodeinfo", "")
		var links struct{ Links []map[string]string }
		decodeStrict(t, r.Body, &links)
		if len(links.Links) != 2 || links.Links[0]["href"] != in.Config.BaseURL()+"/nodeinfo/2.0" ||
			links.Links[1]["rel"] != "http://nodeinfo.diaspora.software/ns/schema/2.1" {
			t.Fatalf("well-known nodeinfo = %s", r.Body)
		}
		read := func(version string) nodeInfo {
			r := fetchPath(t, in, "/nodeinfo/"+version, "")
			want := `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/` + version + `#"; charset=utf-8`
			if r.Status != 200 || r.Header.Get("Content-Type") != want {
				t.Fatalf("nodeinfo %s = %d %q", version, r.Status, r.Header.Get("Content-Type"))
			}
			var ni nodeInfo
			decodeStrict(t, r.Body, &ni)
			if ni.Version != version || ni.Software.Name != "tusk" || ni.Software.Version == "" || len(ni.Protocols) != 1 ||
				ni.Protocols[0] != "activitypub" || ni.Metadata["nodeName"] != "Tusk Test" || ni.Metadata["nodeDescription"] == "" {
				t.Fatalf("nodeinfo %s = %s", version, r.Body)
			}
			if (ni.Software.Repository != "") != (version == "2.1") {
				t.Fatalf("nodeinfo %s repository = %q", version, ni.Software.Repository)
			}
			return ni
		}
		before := read("2.0")
		if before.Usage.Users.Total != 2 || before.Usage.LocalPosts != 0 || before.Usage.Users.ActiveMonth != 0 || !before.OpenRegistrations {
			t.Fatalf("usage before posting = %+v", before.Usage)
		}
		if r := alice.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "hello"}); r.Status != 200 {
			t.Fatalf("post = %d %s", r.Status, r.Body)
		}
		after := read("2.1")
		if after.Usage.LocalPosts != 1 || after.Usage.Users.ActiveMonth != 1 || after.Usage.Users.ActiveHalfyear != 1 {
			t.Fatalf("usage after posting = %+v", after.Usage)
		}
		var got jsonObj
		fetchPath(t, in, "/nodeinfo/2.0", "").JSON(t, &got)
		if missing := missingKeys(reference(t, "mastodon-nodeinfo-2.0.json"), got); len(missing) > 0 {
			t.Fatalf("nodeinfo lacks %v", missing)
		}
		if r := fetchPath(t, in, "/nodeinfo/1.0", ""); r.Status != 404 {
			t.Fatalf("nodeinfo 1.0 = %d", r.Status)
		}
	})
}
