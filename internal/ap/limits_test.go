package ap

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/google/go-cmp/cmp"
	"strings"
	"testing"
)

// actorJSON builds a valid actor document with extra properties merged in.
func actorJSON(t *testing.T, extra map[string]any) []byte {
	t.Helper()
	doc := map[string]any{
		"id": "https://remote.example/users/alice", "type": "Person", "preferredUsername": "alice",
		"inbox": "https://remote.example/users/alice/inbox",
	}
	for k, v := range extra {
		doc[k] = v
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestActorLimits(t *testing.T) {
	t.Parallel()
	var fields []any
	for i := range 60 {
		fields = append(fields, map[string]any{"type": "PropertyValue", "name": fmt.Sprint("f", i), "value": "v"})
	}
	fields = append([]any{map[string]any{"type": "PropertyValue", "name": strings.Repeat("n", 3000), "value": strings.Repeat("v", 3000)}}, fields...)
	var aliases []any
	for i := range 300 {
		aliases = append(aliases, fmt.Sprintf("https://other.example/users/%d", i))
	}
	a, err := DecodeActor(actorJSON(t, map[string]any{
		"name":        strings.Repeat("é", 3000),
		"summary":     strings.Repeat("s", 30000),
		"attachment":  fields,
		"alsoKnownAs": aliases,
	}))
	if err != nil {
		t.Fatal(err)
	}
	if n := runeLen(a.Name); n != MaxDisplayNameLength {
		t.Errorf("name length = %d; want %d", n, MaxDisplayNameLength)
	}
	if n := len(a.Summary); n != MaxActorSummaryLength {
		t.Errorf("summary length = %d; want %d", n, MaxActorSummaryLength)
	}
	if len(a.Fields) != MaxFields {
		t.Errorf("fields = %d; want %d", len(a.Fields), MaxFields)
	}
	if n, v := runeLen(a.Fields[0].Name), runeLen(a.Fields[0].Value); n != MaxFieldLength || v != MaxFieldLength {
		t.Errorf("field name, value lengths = %d, %d; want %d", n, v, MaxFieldLength)
	}
	if len(a.AlsoKnownAs) != MaxAliases {
		t.Errorf("alsoKnownAs = %d; want %d", len(a.AlsoKnownAs), MaxAliases)
	}
}

func TestActorRejected(t *testing.T) {
	t.Parallel()
	tests := []struct {
		field string
		extra map[string]any
	}{
		{"id", map[string]any{"id": "/users/alice"}},
		{"id", map[string]any{"id": "javascript:alert(1)"}},
		{"id", map[string]any{"id": "https://remote.example/users/al ice"}},
		{"id", map[string]any{"id": nil}},
		{"inbox", map[string]any{"inbox": nil}},
		{"inbox", map[string]any{"inbox": "ftp://remote.example/inbox"}},
		{"inbox", map[string]any{"inbox": "https://remote.example/inbox\r\nX-Evil: 1"}},
		{"type", map[string]any{"type": "Note"}},
		{"preferredUsername", map[string]any{"preferredUsername": ""}},
		{"preferredUsername", map[string]any{"preferredUsername": strings.Repeat("a", MaxUsernameLength+1)}},
		{"preferredUsername", map[string]any{"preferredUsername": "al ice"}},
		{"preferredUsername", map[string]any{"preferredUsername": "alice@evil"}},
		{"preferredUsername", map[string]any{"preferredUsername": ".alice"}},
		{"preferredUsername", map[string]any{"preferredUsername": "<b>x</b>"}},
	}
	for _, tt := range tests {
		_, err := DecodeActor(actorJSON(t, tt.extra))
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.field) {
			t.Errorf("DecodeActor(%v) error = %v; want ErrInvalid naming %s", tt.extra, err, tt.field)
		}
	}
	if _, err := DecodeActor(actorJSON(t, map[string]any{"preferredUsername": "a.b-c_d", "type": []any{"Service", "Other"}})); err != nil {
		t.Errorf("username a.b-c_d: %v", err)
	}
}

func TestActorBadLinksDropped(t *testing.T) {
	t.Parallel()
	bad := "javascript:alert(1)"
	a, err := DecodeActor(actorJSON(t, map[string]any{
		"outbox": bad, "followers": "/followers", "following": "https://x.example/a b", "url": "data:text/html,x",
		"icon": "http://", "image": map[string]any{"type": "Image", "url": "//cdn.example/x.png"},
		"endpoints": map[string]any{"sharedInbox": "https://remote.example/inbox\n"}, "featured": 42,
		"movedTo": "mailto:a@b.c",
	}))
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]string{"outbox": a.Outbox, "followers": a.Followers, "following": a.Following, "url": a.URL,
		"icon": a.Icon.URL, "image": a.Image.URL, "sharedInbox": a.SharedInbox, "featured": a.Featured, "movedTo": a.MovedTo} {
		if v != "" {
			t.Errorf("%s = %q; want it dropped", name, v)
		}
	}
}

func TestPollOptionLimit(t *testing.T) {
	t.Parallel()
	var opts []string
	for i := range 600 {
		opts = append(opts, fmt.Sprintf(`{"type":"Note","name":"o%d","replies":{"totalItems":"%d"}}`, i, i))
	}
	doc := `{"id":"https://r.example/q","type":"Question","closed":true,"oneOf":[` + strings.Join(opts, ",") + `]}`
	o, err := DecodeObject([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Poll.Options) != MaxPollOptions || o.Poll.Multiple || !o.Poll.ClosedFlag || o.Poll.Options[5].Votes != 5 {
		t.Errorf("poll: %d options, multiple %v, closed %v", len(o.Poll.Options), o.Poll.Multiple, o.Poll.ClosedFlag)
	}
}

func TestDocumentSizeLimit(t *testing.T) {
	t.Parallel()
	big := []byte(`{"id":"https://r.example/1","type":"Note","content":"` + strings.Repeat("a", MaxDocumentSize) + `"}`)
	if _, err := DecodeObject(big); !errors.Is(err, ErrInvalid) {
		t.Errorf("oversized document: err = %v; want ErrInvalid", err)
	}
}

func TestEmojiRules(t *testing.T) {
	t.Parallel()
	tag := func(name, icon string) string {
		return fmt.Sprintf(`{"type":"Emoji","name":%q,"icon":{"type":"Image","url":%q}}`, name, icon)
	}
	doc := `{"id":"https://r.example/1","type":"Note","tag":[` + strings.Join([]string{
		tag(":ok_emoji:", "https://r.example/e.png"),
		tag(":"+strings.Repeat("a", MaxEmojiShortcodeLength+1)+":", "https://r.example/e.png"),
		tag(":bad code:", "https://r.example/e.png"),
		tag(":x:", "https://r.example/e.png"),
		tag(":noicon:", "javascript:alert(1)"),
	}, ",") + `]}`
	o, err := DecodeObject([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Tags.Emoji) != 1 || o.Tags.Emoji[0].Shortcode != "ok_emoji" {
		t.Errorf("emoji = %+v; want only ok_emoji", o.Tags.Emoji)
	}
}

func TestHostileContent(t *testing.T) {
	t.Parallel()
	content := `<p onclick="alert(1)">hi<script>alert(1)</script><iframe src="https://evil.example"></iframe>` +
		`<a href="javascript:alert(1)">j</a><img src="data:image/png;base64,AAAA"><embed src="x"><object data="y"></object>` +
		`<style>p{}</style><a href="https://ok.example/" class="mention evil">ok</a></p>`
	doc, _ := json.Marshal(map[string]any{"id": "https://r.example/1", "type": "Note", "content": content})
	o, err := DecodeObject(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script", "<iframe", "<img", "<embed", "<object", "<style", "onclick", "javascript:", "data:", "evil"} {
		if strings.Contains(o.Content, bad) {
			t.Errorf("content %q contains %q", o.Content, bad)
		}
	}
	if !strings.Contains(o.Content, `<a class="mention" href="https://ok.example/"`) {
		t.Errorf("content %q lost the safe link", o.Content)
	}
	a, err := DecodeActor(actorJSON(t, map[string]any{"summary": content, "attachment": []any{
		map[string]any{"type": "PropertyValue", "name": "x", "value": `<a href="javascript:alert(1)" onclick="x">y</a><script>z</script>`},
	}}))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(a.Summary, "<script") || a.Fields[0].Value != "y" {
		t.Errorf("summary %q, field value %q", a.Summary, a.Fields[0].Value)
	}
}

func TestTolerantShapes(t *testing.T) {
	t.Parallel()
	doc := `{"id":"https://r.example/1","type":["Note","Other"],"sensitive":"true","to":"as:Public","cc":["Public",7,null],
		"attributedTo":[{"type":"Group","id":"https://r.example/g"},{"type":"Person","id":"https://r.example/p"}],
		"inReplyTo":{"id":"https://r.example/0","type":"Note"},"published":12,"summary":{"x":1},"content":["no"],
		"url":[{"type":"Link","href":"https://r.example/1.json","mediaType":"application/json"},{"type":"Link","href":"https://r.example/1.html","mediaType":"text/html"}],
		"tag":{"type":"Hashtag","name":"#Go","href":"https://r.example/tags/go"},
		"attachment":{"type":"Image","url":[{"type":"Link","href":"https://r.example/a.png","mediaType":"image/png"}],"width":"10","height":10,"focalPoint":[2,0]}}`
	o, err := DecodeObject([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := &Object{
		ID: "https://r.example/1", Type: "Note", AttributedTo: "https://r.example/p", InReplyTo: "https://r.example/0",
		Sensitive: true, URL: "https://r.example/1.html", To: []string{PublicCollection}, Cc: []string{PublicCollection},
		Tags:        Tags{Hashtags: []Hashtag{{Name: "Go", Href: "https://r.example/tags/go"}}},
		Attachments: []Attachment{{Type: "Image", URL: "https://r.example/a.png", MediaType: "", Width: 10, Height: 10}},
	}
	if diff := cmp.Diff(want, o); diff != "" {
		t.Errorf("object (-want +got):\n%s", diff)
	}
	if _, err := DecodeObject([]byte(`{"id":"https://r.example/1","type":"Note","attributedTo":"acct:evil"}`)); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad attributedTo: err = %v; want ErrInvalid", err)
	}
	for _, bad := range []string{`[]`, `"x"`, `null`, `{`, ``} {
		if _, err := DecodeObject([]byte(bad)); !errors.Is(err, ErrInvalid) {
			t.Errorf("DecodeObject(%q) err = %v; want ErrInvalid", bad, err)
		}
	}
}

func TestActivityRejected(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		`{"type":"Like","object":"https://r.example/1"}`:                                          "actor",
		`{"type":"Like","actor":"https://r.example/a","object":"javascript:x"}`:                   "object",
		`{"id":"r.example/1","type":"Like","actor":"https://r.example/a"}`:                        "id",
		`{"type":"Create","actor":"https://r.example/a","object":{"id":"x:y","type":"Note"}}`:     "object.id",
		`{"actor":"https://r.example/a"}`:                                                         "type",
		`{"type":"Move","actor":"https://r.example/a","object":"https://r.example/a","target":1}`: "target",
	}
	for doc, field := range tests {
		_, err := DecodeActivity([]byte(doc))
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), field+":") {
			t.Errorf("DecodeActivity(%s) err = %v; want ErrInvalid naming %s", doc, err, field)
		}
	}
}
