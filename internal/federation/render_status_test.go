package federation_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/federation"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/server/servertest"
)

// noteDoc is every key tusk's Note and Question documents may carry.
type noteDoc struct {
	Context      any `json:"@context"`
	ID, Type     string
	Summary      *string
	InReplyTo    *string
	Published    string
	Updated      string
	URL          string
	AttributedTo string
	To, Cc       []string
	Sensitive    bool
	Conversation string
	Content      string
	ContentMap   map[string]string
	Attachment   []map[string]any
	Tag          []map[string]any
	Replies      map[string]any
	QuoteURI     string `json:"quoteUri"`
	OneOf, AnyOf []struct {
		Type, Name string
		Replies    struct {
			Type       string
			TotalItems int64
		}
	}
	EndTime, Closed string
	VotersCount     *int64
}

func fetchNote(t *testing.T, in *servertest.Instance, path string) noteDoc {
	t.Helper()
	r := fetchPath(t, in, path, ldJSON)
	if r.Status != 200 || r.Header.Get("Content-Type") != "application/activity+json; charset=utf-8" {
		t.Fatalf("GET %s = %d %s", path, r.Status, r.Body)
	}
	var n noteDoc
	decodeStrict(t, r.Body, &n)
	if n.Context == nil || n.ID == "" || n.Published == "" || n.AttributedTo == "" || n.To == nil || n.Cc == nil || n.Attachment == nil || n.Tag == nil {
		t.Fatalf("GET %s lacks required fields: %s", path, r.Body)
	}
	return n
}

// render renders a status through the exported API, as deliveries will.
func renderBoth(t *testing.T, in *servertest.Instance, id string) *federation.Object {
	t.Helper()
	n, _ := strconv.ParseInt(id, 10, 64)
	st, err := in.Store.StatusByID(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := in.Federation.RenderStatus(context.Background(), in.Store.Q, st)
	if err != nil {
		t.Fatal(err)
	}
	create, err := in.Federation.RenderCreate(context.Background(), in.Store.Q, st)
	if err != nil {
		t.Fatal(err)
	}
	inner := create.Object.(*federation.Object)
	if create.Type != "Create" || create.ID != obj.ID+"/activity" || create.Actor != obj.AttributedTo || inner.Context != nil ||
		create.Context == nil || !slices.Equal(create.To, obj.To) || !slices.Equal(create.Cc, obj.Cc) || inner.ID != obj.ID {
		t.Fatalf("create = %+v", create)
	}
	return obj
}

func TestStatusAddressingPerVisibility(t *testing.T) {
	servedEngines(t, nil, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		in.NewMember(t, "bob")
		base := in.Config.BaseURL()
		followers, bob := base+"/users/alice/followers", base+"/users/bob"
		cases := []struct {
			visibility string
			to, cc     []string
			served     bool
		}{
			{"public", []string{federation.Public}, []string{followers, bob}, true},
			{"unlisted", []string{followers}, []string{federation.Public, bob}, true},
			{"private", []string{followers}, []string{bob}, false},
			{"direct", []string{bob}, []string{}, false},
		}
		for _, c := range cases {
			id := postAs(t, alice, jsonObj{"status": "hi @bob", "visibility": c.visibility})
			obj := renderBoth(t, in, id)
			if !slices.Equal(obj.To, c.to) || !slices.Equal(obj.Cc, c.cc) {
				t.Fatalf("%s: to %v cc %v; want %v %v", c.visibility, obj.To, obj.Cc, c.to, c.cc)
			}
			if len(obj.Tag) != 1 || obj.Tag[0].Type != "Mention" || obj.Tag[0].Href != bob || obj.Tag[0].Name != "@bob@"+in.Config.LocalDomain {
				t.Fatalf("%s: tags %+v", c.visibility, obj.Tag)
			}
			for _, path := range []string{"/users/alice/statuses/" + id, "/users/alice/statuses/" + id + "/activity",
				"/users/alice/statuses/" + id + "/replies", "/@alice/" + id} {
				r := fetchPath(t, in, path, activityJSON)
				if (r.Status == 200) != c.served || (!c.served && r.Status != 404) {
					t.Fatalf("%s: GET %s = %d", c.visibility, path, r.Status)
				}
			}
			if r := fetchPath(t, in, "/@alice/"+id, "text/html"); (r.Status == 200) != c.served {
				t.Fatalf("%s: status page = %d", c.visibility, r.Status)
			}
		}
		if r := fetchPath(t, in, "/users/bob/statuses/"+postAs(t, alice, jsonObj{"status": "mine"}), activityJSON); r.Status != 404 {
			t.Fatalf("a status under another account's path = %d", r.Status)
		}
	})
}

func TestNoteDocument(t *testing.T) {
	servedEngines(t, nil, func(t *testing.T, in *servertest.Instance) {
		ctx := context.Background()
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		if err := in.Store.Writer().UpsertLocalEmoji(ctx, &model.CustomEmoji{Shortcode: "blobcat", File: "blobcat-0123456789abcdef.png", ContentType: "image/png"}); err != nil {
			t.Fatal(err)
		}
		base := in.Config.BaseURL()
		root := postAs(t, alice, jsonObj{"status": "Hello #Tusk :blobcat:", "language": "en", "spoiler_text": "cw"})
		self := postAs(t, alice, jsonObj{"status": "more", "in_reply_to_id": root})
		other := postAs(t, bob, jsonObj{"status": "@alice nice", "in_reply_to_id": root})
		if r := alice.Do(t, "PUT", "/api/v1/statuses/"+root, jsonObj{"status": "Hello #Tusk :blobcat: edited", "language": "en", "spoiler_text": "cw"}); r.Status != 200 {
			t.Fatalf("edit = %d %s", r.Status, r.Body)
		}
		n := fetchNote(t, in, "/users/alice/statuses/"+root)
		id := base + "/users/alice/statuses/" + root
		if n.ID != id || n.Type != "Note" || n.URL != base+"/@alice/"+root || n.AttributedTo != base+"/users/alice" ||
			n.Summary == nil || *n.Summary != "cw" || !n.Sensitive || n.InReplyTo != nil || n.Updated == "" ||
			!strings.Contains(n.Content, "edited") || n.ContentMap["en"] != n.Content || !strings.HasPrefix(n.Conversation, "tag:") {
			t.Fatalf("note = %+v", n)
		}
		kinds := map[string]map[string]any{}
		for _, tag := range n.Tag {
			kinds[tag["type"].(string)] = tag
		}
		if h := kinds["Hashtag"]; h == nil || !strings.EqualFold(h["name"].(string), "#tusk") || !strings.EqualFold(h["href"].(string), base+"/tags/tusk") {
			t.Fatalf("hashtag = %v", h)
		}
		if e := kinds["Emoji"]; e == nil || e["name"] != ":blobcat:" || e["icon"].(map[string]any)["url"] == "" {
			t.Fatalf("emoji = %v", e)
		}
		first := n.Replies["first"].(map[string]any)
		if n.Replies["id"] != id+"/replies" || n.Replies["type"] != "Collection" || first["type"] != "CollectionPage" ||
			!holds(first["items"], base+"/users/alice/statuses/"+self) || holds(first["items"], base+"/users/bob/statuses/"+other) ||
			first["next"] != id+"/replies?only_other_accounts=true&page=true" || first["partOf"] != id+"/replies" {
			t.Fatalf("replies = %v", n.Replies)
		}
		others := fetchDoc(t, in, "/users/alice/statuses/"+root+"/replies?only_other_accounts=true&page=true")
		if !holds(others["items"], base+"/users/bob/statuses/"+other) || holds(others["items"], base+"/users/alice/statuses/"+self) || others["@context"] == nil {
			t.Fatalf("other replies = %v", others)
		}
		if coll := fetchDoc(t, in, "/users/alice/statuses/"+root+"/replies"); coll["type"] != "Collection" || coll["first"] == nil {
			t.Fatalf("replies collection = %v", coll)
		}
		reply := fetchNote(t, in, "/users/bob/statuses/"+other)
		if reply.InReplyTo == nil || *reply.InReplyTo != id || reply.Conversation != n.Conversation || reply.Summary != nil {
			t.Fatalf("reply = %+v", reply)
		}
		var raw jsonObj
		fetchPath(t, in, "/users/alice/statuses/"+root, activityJSON).JSON(t, &raw)
		if missing := missingKeys(reference(t, "mastodon-note.json"), raw, "atomUri", "inReplyToAtomUri"); len(missing) > 0 {
			t.Fatalf("note lacks keys Mastodon sends: %v", missing)
		}
		create := fetchDoc(t, in, "/users/alice/statuses/"+root+"/activity")
		if create["type"] != "Create" || create["object"].(map[string]any)["id"] != id || create["object"].(map[string]any)["@context"] != nil {
			t.Fatalf("create = %v", create)
		}
	})
}

func TestAnnounceDocument(t *testing.T) {
	servedEngines(t, nil, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		base := in.Config.BaseURL()
		orig := postAs(t, alice, jsonObj{"status": "boost me"})
		r := bob.Do(t, "POST", "/api/v1/statuses/"+orig+"/reblog", nil)
		var boost jsonObj
		r.JSON(t, &boost)
		if r.Status != 200 {
			t.Fatalf("boost = %d %s", r.Status, r.Body)
		}
		bid := boost["id"].(string)
		a := fetchDoc(t, in, "/users/bob/statuses/"+bid+"/activity")
		if a["type"] != "Announce" || a["id"] != base+"/users/bob/statuses/"+bid+"/activity" || a["actor"] != base+"/users/bob" ||
			a["object"] != base+"/users/alice/statuses/"+orig || !holds(a["to"], federation.Public) ||
			!holds(a["cc"], base+"/users/alice") || !holds(a["cc"], base+"/users/bob/followers") || a["@context"] == nil {
			t.Fatalf("announce = %v", a)
		}
		if r := fetchPath(t, in, "/users/bob/statuses/"+bid, activityJSON); r.Status != 404 {
			t.Fatalf("a boost's object = %d", r.Status)
		}
	})
}

func TestQuestionDocument(t *testing.T) {
	servedEngines(t, nil, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		for _, multiple := range []bool{false, true} {
			r := alice.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "which?",
				"poll": jsonObj{"options": []string{"tea", "coffee"}, "expires_in": 3600, "multiple": multiple}})
			var st jsonObj
			r.JSON(t, &st)
			if r.Status != 200 {
				t.Fatalf("poll = %d %s", r.Status, r.Body)
			}
			pollID := st["poll"].(map[string]any)["id"].(string)
			if r := bob.Do(t, "POST", "/api/v1/polls/"+pollID+"/votes", jsonObj{"choices": []string{"1"}}); r.Status != 200 {
				t.Fatalf("vote = %d %s", r.Status, r.Body)
			}
			q := fetchNote(t, in, "/users/alice/statuses/"+st["id"].(string))
			options := q.OneOf
			if multiple {
				options = q.AnyOf
				if q.OneOf != nil {
					t.Fatalf("multiple-choice question has oneOf")
				}
			}
			if q.Type != "Question" || len(options) != 2 || options[0].Name != "tea" || options[0].Type != "Note" ||
				options[0].Replies.Type != "Collection" || options[0].Replies.TotalItems != 0 || options[1].Replies.TotalItems != 1 ||
				q.VotersCount == nil || *q.VotersCount != 1 || q.EndTime == "" || q.Closed != "" {
				t.Fatalf("question (multiple %v) = %+v", multiple, q)
			}
			var raw jsonObj
			fetchPath(t, in, "/users/alice/statuses/"+st["id"].(string), activityJSON).JSON(t, &raw)
			ignore := []string{"anyOf"}
			if multiple {
				ignore = []string{"oneOf"}
			}
			if missing := missingKeys(reference(t, "mastodon-docs-question.json"), raw, ignore...); len(missing) > 0 {
				t.Fatalf("question lacks %v", missing)
			}
		}
	})
}

func TestMediaAttachmentDocument(t *testing.T) {
	servedEngines(t, nil, func(t *testing.T, in *servertest.Instance) {
		ctx := context.Background()
		alice := in.NewMember(t, "alice")
		m := &model.MediaAttachment{ID: in.Store.NewID(), AccountID: alice.Account.ID, Type: "image", ContentType: "image/png",
			FileKey: "media/1/original.png", PreviewKey: "media/1/small.png", Description: "a cat", Blurhash: "LKO2?U%2Tw=w]~RBVZRi};RPxuwH",
			State: model.MediaReady, Meta: model.MediaMeta{Original: &model.MediaSize{Width: 640, Height: 480}, Focus: &model.MediaFocus{X: 0.5, Y: -0.25}}}
		if err := in.Store.Writer().InsertMedia(ctx, m); err != nil {
			t.Fatal(err)
		}
		id := postAs(t, alice, jsonObj{"status": "look", "language": "en", "media_ids": []string{strconv.FormatInt(m.ID, 10)}})
		n := fetchNote(t, in, "/users/alice/statuses/"+id)
		if len(n.Attachment) != 1 {
			t.Fatalf("attachments = %v", n.Attachment)
		}
		d := n.Attachment[0]
		fp, _ := d["focalPoint"].([]any)
		if d["type"] != "Document" || d["mediaType"] != "image/png" || !strings.HasSuffix(d["url"].(string), "/media/1/original.png") ||
			d["name"] != "a cat" || d["blurhash"] != m.Blurhash || d["width"] != 640.0 || d["height"] != 480.0 ||
			len(fp) != 2 || fp[0] != 0.5 || fp[1] != -0.25 {
			t.Fatalf("document = %v", d)
		}
		var raw jsonObj
		fetchPath(t, in, "/users/alice/statuses/"+id, activityJSON).JSON(t, &raw)
		ref := reference(t, "mastodon-note-with-media-blurhash.json")
		if missing := missingKeys(ref, raw, "atomUri", "inReplyToAtomUri", "likes", "shares"); len(missing) > 0 {
			t.Fatalf("note lacks %v", missing)
		}
		refDoc := ref["attachment"].([]any)[0].(jsonObj)
		if missing := missingKeys(refDoc, raw["attachment"].([]any)[0].(jsonObj)); len(missing) > 0 {
			t.Fatalf("document lacks %v", missing)
		}
		page := fetchPath(t, in, "/@alice/"+id, "text/html")
		if !strings.Contains(string(page.Body), `alt="a cat"`) || !strings.Contains(string(page.Body), `og:image" content="`+d["url"].(string)) {
			t.Fatalf("status page = %s", page.Body)
		}
	})
}

func TestQuoteURI(t *testing.T) {
	servedEngines(t, nil, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		quoted := postAs(t, alice, jsonObj{"status": "quotable"})
		quoting := postAs(t, bob, jsonObj{"status": "look at this", "quoted_status_id": quoted})
		if n := fetchNote(t, in, "/users/bob/statuses/"+quoting); n.QuoteURI != in.Config.BaseURL()+"/users/alice/statuses/"+quoted {
			t.Fatalf("quoteUri = %q", n.QuoteURI)
		}
		if n := fetchNote(t, in, "/users/alice/statuses/"+quoted); n.QuoteURI != "" {
			t.Fatalf("an unquoting status has quoteUri %q", n.QuoteURI)
		}
	})
}
