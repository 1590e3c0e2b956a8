package federation_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

// actorDoc is every key tusk's actor documents may carry; decoding strictly into it
// proves nothing else is sent, and the checks below that the required ones are there.
type actorDoc struct {
	Context                   any `json:"@context"`
	ID, Type                  string
	Following, Followers      string
	Inbox, Outbox             string
	Featured, FeaturedTags    string
	PreferredUsername         string
	Name, Summary, URL        string
	ManuallyApprovesFollowers bool
	Discoverable, Indexable   bool
	Published                 string
	Memorial, Suspended       bool
	AlsoKnownAs               []string
	MovedTo                   string
	PublicKey                 struct{ ID, Owner, PublicKeyPem string }
	Tag                       []map[string]any
	Attachment                []map[string]any
	Endpoints                 struct{ SharedInbox string }
	Icon, Image               *struct{ Type, MediaType, URL string }
}

func fetchActor(t *testing.T, in *servertest.Instance, path, accept string) (actorDoc, jsonObj) {
	t.Helper()
	r := fetchPath(t, in, path, accept)
	negotiated := path != "/actor"
	if r.Status != 200 || r.Header.Get("Content-Type") != "application/activity+json; charset=utf-8" || (r.Header.Get("Vary") == "Accept") != negotiated {
		t.Fatalf("GET %s (%s) = %d %q vary %q %s", path, accept, r.Status, r.Header.Get("Content-Type"), r.Header.Get("Vary"), r.Body)
	}
	var doc actorDoc
	decodeStrict(t, r.Body, &doc)
	var raw jsonObj
	r.JSON(t, &raw)
	return doc, raw
}

func TestActorDocument(t *testing.T) {
	servedEngines(t, nil, func(t *testing.T, in *servertest.Instance) {
		ctx := context.Background()
		alice := in.NewMember(t, "alice")
		if err := in.Store.Writer().UpsertLocalEmoji(ctx, &model.CustomEmoji{Shortcode: "blobcat", File: "blobcat-0123456789abcdef.png", ContentType: "image/png"}); err != nil {
			t.Fatal(err)
		}
		if r := alice.Do(t, "PATCH", "/api/v1/accounts/update_credentials", jsonObj{"display_name": "Alice :blobcat:", "note": "Hello there",
			"locked": true, "discoverable": true, "fields_attributes": []jsonObj{{"name": "Site", "value": "https://example.com/<b>"}}}); r.Status != 200 {
			t.Fatalf("update profile = %d %s", r.Status, r.Body)
		}
		if err := in.Store.Writer().SetProfileImageKey(ctx, alice.Account.ID, store.Avatar, "accounts/1/avatar/abc.png"); err != nil {
			t.Fatal(err)
		}
		base := in.Config.BaseURL()
		var actor actorDoc
		var raw jsonObj
		for _, accept := range []string{"application/activity+json", `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`,
			"application/ld+json", "text/html;q=0.5, application/activity+json"} {
			actor, raw = fetchActor(t, in, "/users/alice", accept)
		}
		id := base + "/users/alice"
		if actor.ID != id || actor.Type != "Person" || actor.PreferredUsername != "alice" || actor.Name != "Alice :blobcat:" ||
			actor.Inbox != id+"/inbox" || actor.Outbox != id+"/outbox" || actor.Followers != id+"/followers" || actor.Following != id+"/following" ||
			actor.Featured != id+"/collections/featured" || actor.FeaturedTags != id+"/collections/tags" || actor.URL != base+"/@alice" ||
			actor.Endpoints.SharedInbox != base+"/inbox" || !actor.ManuallyApprovesFollowers || !actor.Discoverable || !actor.Indexable ||
			!strings.Contains(actor.Summary, "Hello there") || actor.Suspended {
			t.Fatalf("actor = %+v", actor)
		}
		if _, err := time.Parse(time.RFC3339, actor.Published); err != nil || !strings.HasSuffix(actor.Published, "T00:00:00Z") {
			t.Fatalf("published = %q (%v)", actor.Published, err)
		}
		block, _ := pem.Decode([]byte(actor.PublicKey.PublicKeyPem))
		if block == nil || actor.PublicKey.ID != id+"#main-key" || actor.PublicKey.Owner != id {
			t.Fatalf("publicKey = %+v", actor.PublicKey)
		}
		if _, err := x509.ParsePKIXPublicKey(block.Bytes); err != nil {
			t.Fatalf("publicKeyPem: %v", err)
		}
		if len(actor.Attachment) != 1 || actor.Attachment[0]["type"] != "PropertyValue" || actor.Attachment[0]["name"] != "Site" ||
			!strings.Contains(actor.Attachment[0]["value"].(string), `href="https://example.com/"`) ||
			!strings.Contains(actor.Attachment[0]["value"].(string), "&lt;b&gt;") {
			t.Fatalf("fields = %v", actor.Attachment)
		}
		if actor.Icon == nil || actor.Icon.Type != "Image" || actor.Icon.MediaType != "image/png" || !strings.HasSuffix(actor.Icon.URL, "/accounts/1/avatar/abc.png") || actor.Image != nil {
			t.Fatalf("icon = %+v, image = %+v", actor.Icon, actor.Image)
		}
		if len(actor.Tag) != 1 || actor.Tag[0]["type"] != "Emoji" || actor.Tag[0]["name"] != ":blobcat:" ||
			actor.Tag[0]["icon"].(map[string]any)["mediaType"] != "image/png" || !strings.HasPrefix(actor.Tag[0]["id"].(string), base+"/emojis/") {
			t.Fatalf("tags = %v", actor.Tag)
		}
		emojiDoc := fetchDoc(t, in, strings.TrimPrefix(actor.Tag[0]["id"].(string), base))
		if emojiDoc["type"] != "Emoji" || emojiDoc["@context"] == nil || emojiDoc["name"] != ":blobcat:" {
			t.Fatalf("emoji document = %v", emojiDoc)
		}
		if missing := missingKeys(reference(t, "mastodon-person-4x-suspended-memorial-terms.json"), raw, "devices"); len(missing) > 0 {
			t.Fatalf("actor lacks keys Mastodon sends: %v", missing)
		}
		if again, _ := fetchActor(t, in, "/@alice", activityJSON); again.ID != id || again.PublicKey.PublicKeyPem != actor.PublicKey.PublicKeyPem {
			t.Fatalf("/@alice as JSON = %+v", again)
		}
	})
}

func TestActorKindsAndAbsentAccounts(t *testing.T) {
	servedEngines(t, nil, func(t *testing.T, in *servertest.Instance) {
		ctx := context.Background()
		bot := in.NewMember(t, "robot")
		if r := bot.Do(t, "PATCH", "/api/v1/accounts/update_credentials", jsonObj{"bot": true}); r.Status != 200 {
			t.Fatalf("bot = %d %s", r.Status, r.Body)
		}
		if d, _ := fetchActor(t, in, "/users/robot", activityJSON); d.Type != "Service" {
			t.Fatalf("bot type = %q", d.Type)
		}
		gone := in.NewMember(t, "gone")
		gone.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "before"})
		now := time.Now()
		if err := in.Store.Writer().SetAccountSuspended(ctx, gone.Account.ID, &now); err != nil {
			t.Fatal(err)
		}
		if d, _ := fetchActor(t, in, "/users/gone", activityJSON); !d.Suspended || d.Name != "" || d.Summary != "" || d.PublicKey.PublicKeyPem == "" {
			t.Fatalf("suspended actor = %+v", d)
		}
		for _, path := range []string{"/users/gone/outbox", "/users/gone/followers", "/users/nobody", "/@nobody", "/users/nobody/outbox"} {
			if r := fetchPath(t, in, path, activityJSON); r.Status != 404 {
				t.Fatalf("GET %s = %d %s", path, r.Status, r.Body)
			}
		}
		for _, path := range []string{"/@gone", "/@nobody"} {
			if r := fetchPath(t, in, path, "text/html"); r.Status != 404 {
				t.Fatalf("GET %s = %d %s", path, r.Status, r.Body)
			}
		}
		inst, raw := fetchActor(t, in, "/actor", activityJSON)
		base := in.Config.BaseURL()
		if inst.Type != "Application" || inst.ID != base+"/actor" || inst.PreferredUsername != in.Config.LocalDomain ||
			inst.Inbox != base+"/actor/inbox" || inst.Outbox != base+"/actor/outbox" || !inst.ManuallyApprovesFollowers ||
			inst.PublicKey.ID != base+"/actor#main-key" || inst.URL != base || raw["@context"] == nil {
			t.Fatalf("instance actor = %+v", inst)
		}
	})
}

func TestContentNegotiation(t *testing.T) {
	servedEngines(t, nil, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		st := postAs(t, alice, jsonObj{"status": "negotiated <b>post</b>"})
		base := in.Config.BaseURL()
		browser := "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
		cases := []struct{ path, accept, location string }{
			{"/users/alice", browser, base + "/@alice"},
			{"/users/alice", "", base + "/@alice"},
			{"/users/alice/statuses/" + st, browser, base + "/@alice/" + st},
			{"/users/alice", "application/activity+json;q=0.1, text/html", base + "/@alice"},
		}
		for _, c := range cases {
			r := fetchPath(t, in, c.path, c.accept)
			if r.Status != 302 || r.Header.Get("Location") != c.location || r.Header.Get("Vary") != "Accept" {
				t.Fatalf("GET %s (%s) = %d to %q", c.path, c.accept, r.Status, r.Header.Get("Location"))
			}
		}
		for path, alternate := range map[string]string{"/@alice": base + "/users/alice", "/@alice/" + st: base + "/users/alice/statuses/" + st} {
			r := fetchPath(t, in, path, browser)
			body := string(r.Body)
			if r.Status != 200 || r.Header.Get("Content-Type") != "text/html; charset=utf-8" || r.Header.Get("Vary") != "Accept" ||
				!strings.Contains(body, `<link rel="alternate" type="application/activity+json" href="`+alternate+`">`) ||
				!strings.Contains(body, `<meta property="og:title"`) || !strings.Contains(body, "negotiated &lt;b&gt;post&lt;/b&gt;") {
				t.Fatalf("GET %s = %d %q %s", path, r.Status, r.Header.Get("Content-Type"), body)
			}
		}
		if note := fetchDoc(t, in, "/@alice/"+st); note["type"] != "Note" || note["id"] != base+"/users/alice/statuses/"+st {
			t.Fatalf("/@alice/id as JSON = %v", note)
		}
		for _, path := range []string{"/favicon.ico", "/alice", "/@", "/@alice/notanumber", "/@alice/1/2", "/api/v1/nothing", "/@bob@elsewhere.test"} {
			if r := fetchPath(t, in, path, ""); r.Status != 404 || !strings.Contains(string(r.Body), `"error"`) {
				t.Fatalf("GET %s = %d %s", path, r.Status, r.Body)
			}
		}
	})
}

// postStatus posts as m and returns the new status's id.
func postAs(t *testing.T, m *servertest.Member, body jsonObj) string {
	t.Helper()
	r := m.Do(t, "POST", "/api/v1/statuses", body)
	if r.Status != 200 {
		t.Fatalf("post %v = %d %s", body, r.Status, r.Body)
	}
	var st jsonObj
	r.JSON(t, &st)
	return st["id"].(string)
}

// Deliveries render inside the transaction of the change they announce; on SQLite a
// key made over another connection would wait forever on that transaction.
func TestRenderActorInsideTransaction(t *testing.T) {
	servedEngines(t, nil, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		var pem string
		err := in.Store.Tx(ctx, func(q store.Q) error {
			actor, err := in.Federation.RenderActor(ctx, q, alice.Account)
			if err != nil {
				return err
			}
			pem = actor.PublicKey.PublicKeyPEM
			return nil
		})
		if err != nil || pem == "" {
			t.Fatalf("render in a transaction: %v", err)
		}
		if got, _ := fetchActor(t, in, "/users/alice", activityJSON); got.PublicKey.PublicKeyPem != pem {
			t.Fatalf("the key changed after its transaction")
		}
		key, err := in.Federation.Keys.Account(ctx, alice.Account)
		if err != nil || key.PublicPEM != pem {
			t.Fatalf("signing key %v does not match the published one", err)
		}
	})
}
