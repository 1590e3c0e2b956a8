package ap

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func mustActor(t *testing.T, name string) *Actor {
	t.Helper()
	a, err := DecodeActor(readCorpus(t, name))
	if err != nil {
		t.Fatalf("DecodeActor(%s): %v", name, err)
	}
	return a
}

func mustObject(t *testing.T, name string) *Object {
	t.Helper()
	o, err := DecodeObject(readCorpus(t, name))
	if err != nil {
		t.Fatalf("DecodeObject(%s): %v", name, err)
	}
	return o
}

func mustActivity(t *testing.T, name string) *Activity {
	t.Helper()
	a, err := DecodeActivity(readCorpus(t, name))
	if err != nil {
		t.Fatalf("DecodeActivity(%s): %v", name, err)
	}
	return a
}

func TestMastodonPerson(t *testing.T) {
	t.Parallel()
	a := mustActor(t, "actors/mastodon-person-emelie.json")
	want := map[string]string{
		"ID":          "https://mastodon.social/users/emelie",
		"Type":        "Person",
		"Username":    "emelie",
		"Name":        "emelie 🎨",
		"URL":         "https://mastodon.social/@emelie",
		"Inbox":       "https://mastodon.social/users/emelie/inbox",
		"SharedInbox": "https://mastodon.social/inbox",
		"Featured":    "https://mastodon.social/users/emelie/collections/featured",
		"Followers":   "https://mastodon.social/users/emelie/followers",
		"Icon":        "https://files.mastodon.social/accounts/avatars/000/015/657/original/e7163f98280da1a4.png",
		"KeyID":       "https://mastodon.social/users/emelie#main-key",
		"KeyOwner":    "https://mastodon.social/users/emelie",
	}
	got := map[string]string{
		"ID": a.ID, "Type": a.Type, "Username": a.PreferredUsername, "Name": a.Name, "URL": a.URL,
		"Inbox": a.Inbox, "SharedInbox": a.SharedInbox, "Featured": a.Featured, "Followers": a.Followers,
		"Icon": a.Icon.URL, "KeyID": a.PublicKey.ID, "KeyOwner": a.PublicKey.Owner,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("actor (-want +got):\n%s", diff)
	}
	var names []string
	for _, f := range a.Fields {
		names = append(names, f.Name)
	}
	if diff := cmp.Diff([]string{"Ko-fi", "Instagram", "Carrd", "Artstation"}, names); diff != "" {
		t.Errorf("field names (-want +got):\n%s", diff)
	}
	if want := `<a href="https://ko-fi.com/emeliepng" rel="nofollow noopener" target="_blank">`; len(a.Fields) == 0 || a.Fields[0].Value[:len(want)] != want {
		t.Errorf("first field value = %q; want it to start with %q", a.Fields[0].Value, want)
	}
	if a.PublicKey.PEM == "" {
		t.Error("PublicKey.PEM is empty")
	}
}

func TestGoToSocialPerson(t *testing.T) {
	t.Parallel()
	a := mustActor(t, "actors/gotosocial-docs-person.json")
	want := []Field{{Name: "should you follow me?", Value: "maybe!"}, {Name: "age", Value: "120"}}
	if diff := cmp.Diff(want, a.Fields); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	if !a.ManuallyApprovesFollowers || a.PreferredUsername != "1happyturtle" || a.Summary != "<p>i post about things that concern me</p>" {
		t.Errorf("actor = %+v", a)
	}
}

func TestFedifyMultikeys(t *testing.T) {
	t.Parallel()
	a := mustActor(t, "actors/hollo-person-fedify.json")
	if len(a.AssertionMethods) != 2 || a.AssertionMethods[1].ID != "https://wizard.casa/users/hongminhee#ed25519-key" ||
		a.AssertionMethods[1].PublicKeyMultibase != "z6MkweqJajqa5jRAJTBVxxu47oCdB7HzmYbBKN8VGbFJmKkC" {
		t.Errorf("AssertionMethods = %+v", a.AssertionMethods)
	}
	if a.PublicKey.ID != "https://wizard.casa/users/hongminhee#main-key" {
		t.Errorf("PublicKey.ID = %q", a.PublicKey.ID)
	}
}

func TestMisskeyActorTopLevelSharedInbox(t *testing.T) {
	t.Parallel()
	a := mustActor(t, "actors/misskey-person-misskey-io.json")
	if a.SharedInbox != "https://misskey.io/inbox" || !a.Discoverable {
		t.Errorf("SharedInbox = %q, Discoverable = %v", a.SharedInbox, a.Discoverable)
	}
}

func TestActorEmojiAndHeader(t *testing.T) {
	t.Parallel()
	a := mustActor(t, "actors/pleroma-person-lanodan.json")
	found := false
	for _, e := range a.Tags.Emoji {
		found = found || e.Shortcode == "bzh"
	}
	if !found {
		t.Errorf("emoji = %+v; want bzh among them", a.Tags.Emoji)
	}
	m := mustActor(t, "actors/mastodon-person-lambadalambda.json")
	if m.Image.URL != "https://files.mastodon.social/accounts/headers/000/000/264/original/28b26104f83747d2.gif" || m.Image.MediaType != "image/gif" {
		t.Errorf("Image = %+v", m.Image)
	}
}

func TestInvalidActors(t *testing.T) {
	t.Parallel()
	_, err := DecodeActor(readCorpus(t, "actors/mastodon-spec-person-null-inbox.json"))
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("null inbox: err = %v; want ErrInvalid", err)
	}
}

func TestMisskeyQuote(t *testing.T) {
	t.Parallel()
	o := mustObject(t, "objects/misskey-note-with-quote.json")
	if o.QuoteURL != "https://misskey.io/notes/8vs6wxufd0" {
		t.Errorf("QuoteURL = %q", o.QuoteURL)
	}
	if v := VisibilityOf(o.To, o.Cc, "https://misskey.io/users/7rkrarq81i/followers"); v != VisibilityPublic {
		t.Errorf("visibility = %q; want public", v)
	}
	if r := mustObject(t, "objects/misskey-note-recursive-quote.json"); r.QuoteURL != "" {
		t.Errorf("self-quote QuoteURL = %q; want none", r.QuoteURL)
	}
}

func TestQuoteSpellings(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"objects/fedibird-note-quote.json":          "https://misskey.io/notes/8vsn2izjwh",
		"objects/fedibird-note-quoteuri-only.json":  "https://fedibird.com/users/yamako/statuses/107699333438289729",
		"objects/fep-e232-note-quote-link-tag.json": "https://server.example/objects/123",
	}
	for name, want := range tests {
		o := mustObject(t, name)
		if o.QuoteURL != want {
			t.Errorf("%s: QuoteURL = %q; want %q", name, o.QuoteURL, want)
		}
	}
}

func TestContentMapLanguage(t *testing.T) {
	t.Parallel()
	o := mustObject(t, "objects/mastodon-note-contentmap-language.json")
	if o.Language != "ja" || o.Content != "<p>tag</p>" {
		t.Errorf("Language, Content = %q, %q; want ja, <p>tag</p>", o.Language, o.Content)
	}
	onlyMap := []byte(`{"id":"https://a.example/1","type":"Note","contentMap":{"de":"<p>Hallo</p>"}}`)
	o, err := DecodeObject(onlyMap)
	if err != nil || o.Content != "<p>Hallo</p>" || o.Language != "de" {
		t.Errorf("contentMap only: %+v, %v", o, err)
	}
}

func TestMediaAttachment(t *testing.T) {
	t.Parallel()
	o := mustObject(t, "objects/mastodon-note-with-media-blurhash.json")
	want := []Attachment{{
		Type:       "Document",
		URL:        "https://cdn.masto.host/floss/media_attachments/files/113/306/826/682/985/891/original/c8d906a2f2ab2334.jpg",
		MediaType:  "image/jpeg",
		Name:       "The KDE dragons Katie and Konqi stand on either side of a pot filling up with gold coins. Donate!",
		Blurhash:   "USQv:h-W-qI-^,W;RPs=^-R%NZxbo#sDobSc",
		FocalPoint: &[2]float64{0, 0},
		Width:      1500,
		Height:     1095,
	}}
	if diff := cmp.Diff(want, o.Attachments); diff != "" {
		t.Errorf("attachments (-want +got):\n%s", diff)
	}
	if o.InReplyTo != "https://floss.social/users/kde/statuses/113306824627995724" || o.Language != "en" ||
		o.Replies != "https://floss.social/users/kde/statuses/113306831140126616/replies" {
		t.Errorf("object = %+v", o)
	}
	if diff := cmp.Diff([]Mention{{Href: "https://lemmy.kde.social/c/kde", Name: "@kde@lemmy.kde.social"}}, o.Tags.Mentions); diff != "" {
		t.Errorf("mentions (-want +got):\n%s", diff)
	}
}

func TestQuestion(t *testing.T) {
	t.Parallel()
	o := mustObject(t, "objects/mastodon-docs-question.json")
	want := &Poll{
		Multiple:    true,
		Options:     []PollOption{{"apple", 3}, {"orange", 7}, {"banana", 6}},
		EndTime:     time.Date(2023, 3, 6, 7, 40, 13, 0, time.UTC),
		VotersCount: 7,
	}
	if diff := cmp.Diff(want, o.Poll); diff != "" {
		t.Errorf("poll (-want +got):\n%s", diff)
	}
	p := mustObject(t, "objects/pleroma-question-with-attachment.json")
	if p.Poll == nil || len(p.Poll.Options) == 0 || len(p.Attachments) != 1 {
		t.Errorf("pleroma question = %+v, poll %+v", p, p.Poll)
	}
}

func TestConvertedTypes(t *testing.T) {
	t.Parallel()
	o := mustObject(t, "objects/lemmy-page-post.json")
	want := `<p>Post title</p><p><a href="https://enterprise.lemmy.ml/post/55143" rel="nofollow noopener" target="_blank">https://enterprise.lemmy.ml/post/55143</a></p>`
	if !o.Converted || o.Content != want || o.Language != "fr" || o.Name != "Post title" {
		t.Errorf("lemmy page: Converted %v, Content %q, Language %q", o.Converted, o.Content, o.Language)
	}
	v := mustObject(t, "objects/peertube-video.json")
	if v.AttributedTo != "https://tilvids.com/accounts/thelinuxexperiment" || v.URL != "https://tilvids.com/videos/watch/e7946124-7b72-4ad7-9d22-844a84bb2de1" {
		t.Errorf("peertube video: AttributedTo %q, URL %q", v.AttributedTo, v.URL)
	}
}

func TestPleromaNote(t *testing.T) {
	t.Parallel()
	o := mustObject(t, "objects/pleroma-note.json")
	if o.Context != "https://queer.hacktivis.me/contexts/34cba3d2-2f35-4169-aeff-56af9bfeb753" {
		t.Errorf("Context = %q", o.Context)
	}
	if v := VisibilityOf(o.To, o.Cc, "https://queer.hacktivis.me/users/lanodan/followers"); v != VisibilityUnlisted {
		t.Errorf("visibility = %q; want unlisted (Public in cc)", v)
	}
}

// The spoofed object decodes (its fields are well formed); catching it is
// the caller's job, by comparing the origin of its id with where it was
// fetched from.
func TestSpoofedObjectOrigin(t *testing.T) {
	t.Parallel()
	o := mustObject(t, "objects/pleroma-note-spoofed-id.json")
	if !SameOrigin(o.ID, o.AttributedTo) {
		t.Errorf("SameOrigin(%q, %q) = false", o.ID, o.AttributedTo)
	}
	if SameOrigin(o.ID, "https://evil.example/objects/spoof") {
		t.Errorf("SameOrigin with another host = true")
	}
}

func TestActivities(t *testing.T) {
	t.Parallel()
	c := mustActivity(t, "activities/mastodon-create-note.json")
	if c.Type != "Create" || !c.Object.Embedded() || c.Object.Type != "Note" ||
		c.Object.IRI != "http://mastodon.example.org/users/admin/statuses/99512778738411822" {
		t.Fatalf("create = %+v, object %+v", c, c.Object)
	}
	note, err := DecodeObject(c.Object.Raw)
	if err != nil || note.AttributedTo != c.Actor {
		t.Errorf("embedded note: %+v, %v", note, err)
	}
	k := mustActivity(t, "activities/kroeg-announce-inline-actor.json")
	if k.Actor != "https://puckipedia.com/" || k.Object.Type != "Note" {
		t.Errorf("kroeg announce: actor %q, object %+v", k.Actor, k.Object)
	}
	f := mustActivity(t, "activities/mastodon-flag.json")
	if len(f.Objects) != 3 || f.Content != "Please take a look at this user and their posts" {
		t.Errorf("flag: %+v", f)
	}
	l := mustActivity(t, "activities/misskey-like-custom-emoji-reaction.json")
	if l.Content != ":hanapog:" || len(l.Tags.Emoji) != 1 || l.Tags.Emoji[0].Shortcode != "hanapog" {
		t.Errorf("misskey reaction: content %q, emoji %+v", l.Content, l.Tags.Emoji)
	}
	u := mustActivity(t, "activities/mastodon-undo-follow.json")
	if u.Object.Type != "Follow" {
		t.Errorf("undo object = %+v", u.Object)
	}
	if h, err := Peek(u.Object.Raw); err != nil || h.Type != "Follow" {
		t.Errorf("Peek = %+v, %v", h, err)
	}
}
