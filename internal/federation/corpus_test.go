package federation_test

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/fedtest"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/server/servertest"
)

// corpusDir holds real documents captured from other servers (see its README).
const corpusDir = "/work/shared/reference/activitypub/objects"

// corpusObject reads a captured object and moves it onto the fake remotes: its
// author's host becomes remote's, its author becomes a, every other host becomes
// elsewhere (which answers 404), so the test reaches no real server.
func corpusObject(t *testing.T, name string, a *fedtest.Actor, remote, elsewhere *fedtest.Remote) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, name))
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	id, _ := doc["id"].(string)
	u, err := url.Parse(id)
	if err != nil {
		t.Fatal(err)
	}
	body := string(data)
	if author, ok := doc["attributedTo"].(string); ok {
		body = strings.ReplaceAll(body, author, a.ID)
	}
	body = strings.ReplaceAll(body, "https://"+u.Host, remote.URL)
	body = regexp.MustCompile(`https://[a-z0-9.-]+\.[a-z]+`).ReplaceAllStringFunc(body, func(s string) string {
		if s == "https://www.w3.org" || s == "https://w3id.org" {
			return s
		}
		return elsewhere.URL
	})
	doc = nil
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	doc["attributedTo"] = a.ID
	if _, ok := doc["to"]; !ok {
		doc["to"] = []any{"https://www.w3.org/ns/activitystreams#Public"}
	}
	return doc
}

// corpusStatus is the part of the client API's status entity the test checks.
type corpusStatus struct {
	Content, Visibility string
	Language            *string
	Sensitive           bool
	Media               []struct {
		Type, Description, Blurhash string
		Meta                        struct {
			Original struct{ Width, Height int }
			Focus    *struct{ X, Y float64 }
		}
	} `json:"media_attachments"`
	Poll *struct {
		Multiple    bool
		Expired     bool
		VotesCount  int64 `json:"votes_count"`
		VotersCount int64 `json:"voters_count"`
		Options     []struct {
			Title      string
			VotesCount int64 `json:"votes_count"`
		}
	}
}

func TestInboundRealDocuments(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("reference documents not available (%s): %v", corpusDir, err)
	}
	engines(t, func(t *testing.T, in *servertest.Instance) {
		bob := in.NewMember(t, "bob")
		remote, elsewhere := fedtest.NewRemote(t), fedtest.NewRemote(t)
		alice := remote.Actor("alice")
		deliverCorpus := func(name string) *model.Status {
			t.Helper()
			obj := corpusObject(t, name, alice, remote, elsewhere)
			deliver(t, in, alice, alice.Activity("Create", "/activities/"+name, obj))
			st, err := in.Store.StatusByURI(context.Background(), obj["id"].(string))
			if err != nil {
				t.Fatalf("%s not stored: %v", name, err)
			}
			return st
		}
		view := func(st *model.Status) corpusStatus {
			t.Helper()
			var v corpusStatus
			bob.Do(t, "GET", "/api/v1/statuses/"+itoa(st.ID), nil).JSON(t, &v)
			return v
		}

		misskey := view(deliverCorpus("misskey-note.json"))
		if !strings.Contains(misskey.Content, "Fantiaこれできない") || misskey.Visibility != "public" {
			t.Errorf("misskey note = %+v", misskey)
		}

		pleroma := deliverCorpus("pleroma-note.json")
		if pleroma.Visibility != model.Unlisted || !strings.Contains(pleroma.Content, "Have what?") {
			t.Errorf("pleroma note = %+v; want unlisted (public in cc) 'Have what?'", pleroma)
		}

		media := view(deliverCorpus("mastodon-note-with-media-blurhash.json"))
		if media.Language == nil || *media.Language != "en" || !strings.Contains(media.Content, "kde.org/donate") {
			t.Errorf("mastodon note = %+v", media)
		}
		if len(media.Media) != 1 {
			t.Fatalf("attachments = %+v; want 1", media.Media)
		}
		m := media.Media[0]
		if m.Type != "image" || m.Blurhash != "USQv:h-W-qI-^,W;RPs=^-R%NZxbo#sDobSc" || !strings.HasPrefix(m.Description, "The KDE dragons") ||
			m.Meta.Original.Width != 1500 || m.Meta.Original.Height != 1095 || m.Meta.Focus == nil {
			t.Errorf("attachment = %+v", m)
		}

		question := view(deliverCorpus("mastodon-docs-question.json"))
		checkCorpusPoll(t, question)
	})
}

func checkCorpusPoll(t *testing.T, st corpusStatus) {
	t.Helper()
	p := st.Poll
	if p == nil || !p.Multiple || len(p.Options) != 3 || p.Options[1].Title != "orange" {
		t.Fatalf("poll = %+v; want the 3 options of anyOf", p)
	}
	if !p.Expired || p.VotersCount != 7 || p.VotesCount != 16 || p.Options[0].VotesCount != 3 || p.Options[1].VotesCount != 7 || p.Options[2].VotesCount != 6 {
		t.Errorf("poll counts = %+v; want the announced 3/7/6 by 7 voters, expired", p)
	}
}
