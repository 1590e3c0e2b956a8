package mastoapi_test

import (
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/server/servertest"
)

// notificationTypesOf lists the types of m's notifications about a status, newest first.
func notificationTypesOf(t *testing.T, m *servertest.Member, statusID string) []string {
	t.Helper()
	var out []string
	for _, n := range list(t, m.Do(t, "GET", "/api/v1/notifications", nil), "notifications of "+m.Account.Username) {
		if field(n, "status", "id") == statusID {
			out = append(out, n["type"].(string))
		}
	}
	return out
}

func hasType(types []string, typ string) bool {
	for _, t := range types {
		if t == typ {
			return true
		}
	}
	return false
}

func TestEditStatus(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		st := post(t, alice, map[string]any{"status": "first #one", "language": "en"})
		id := st["id"].(string)
		if st["edited_at"] != nil {
			t.Errorf("new status edited_at = %v; want null", st["edited_at"])
		}
		edited := obj(t, alice.Do(t, "PUT", "/api/v1/statuses/"+id, jsonObj{"status": "second #two @bob", "spoiler_text": "cw"}), 200, "edit")
		conforms(t, "Status", edited)
		if edited["id"] != id || edited["edited_at"] == nil || !strings.Contains(edited["content"].(string), "second") {
			t.Errorf("edited = id %v, edited_at %v, content %v; want same id, a time, the new text", edited["id"], edited["edited_at"], edited["content"])
		}
		if edited["spoiler_text"] != "cw" || edited["sensitive"] != true || edited["language"] != "en" {
			t.Errorf("spoiler, sensitive, language = %v %v %v; want cw, true, en (kept)", edited["spoiler_text"], edited["sensitive"], edited["language"])
		}
		tags, _ := edited["tags"].([]any)
		if len(tags) != 1 || field(tags[0], "name") != "two" {
			t.Errorf("tags after edit = %v; want only two", edited["tags"])
		}
		if got := getStatus(t, bob, id)["content"]; !strings.Contains(got.(string), "second") {
			t.Errorf("bob sees %v; want the edited text", got)
		}
		if !hasType(notificationTypesOf(t, bob, id), "mention") {
			t.Errorf("bob, newly mentioned by the edit, was not notified")
		}
		obj(t, alice.Do(t, "PUT", "/api/v1/statuses/"+id, jsonObj{"status": "third", "sensitive": true}), 200, "second edit")

		history := list(t, bob.Do(t, "GET", "/api/v1/statuses/"+id+"/history", nil), "history")
		conformsAll(t, "StatusEdit", history)
		var contents []string
		for _, e := range history {
			contents = append(contents, e["content"].(string))
		}
		if len(history) != 3 || !strings.Contains(contents[0], "first") || !strings.Contains(contents[1], "second") || !strings.Contains(contents[2], "third") {
			t.Errorf("history contents = %q; want first, second, third", contents)
		}
		if history[1]["spoiler_text"] != "cw" || history[2]["sensitive"] != true || field(history[0], "account", "id") != idOf(alice.Account.ID) {
			t.Errorf("history details = %v", history)
		}

		source := obj(t, alice.Do(t, "GET", "/api/v1/statuses/"+id+"/source", nil), 200, "source")
		conforms(t, "StatusSource", source)
		if source["id"] != id || source["text"] != "third" || source["spoiler_text"] != "" {
			t.Errorf("source = %v; want text third and no spoiler", source)
		}
	})
}

func TestEditStatusRefusals(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		id := say(t, alice, "mine")
		private := post(t, alice, jsonObj{"status": "followers only", "visibility": "private"})["id"].(string)
		errorMessage(t, bob.Do(t, "PUT", "/api/v1/statuses/"+id, jsonObj{"status": "hijacked"}), 404, "edit another's status")
		errorMessage(t, alice.Do(t, "PUT", "/api/v1/statuses/4242", jsonObj{"status": "x"}), 404, "edit a missing status")
		errorMessage(t, alice.Do(t, "PUT", "/api/v1/statuses/"+id, jsonObj{"status": "  "}), 422, "edit to blank")
		errorMessage(t, alice.Do(t, "PUT", "/api/v1/statuses/"+id, jsonObj{"status": strings.Repeat("x", 501)}), 422, "edit beyond the limit")
		errorMessage(t, alice.Do(t, "PUT", "/api/v1/statuses/"+id, jsonObj{"status": "x", "language": strings.Repeat("x", 17)}), 422, "edit with a long language")
		errorMessage(t, bob.Do(t, "GET", "/api/v1/statuses/"+private+"/history", nil), 404, "history of an invisible status")
		errorMessage(t, bob.Do(t, "GET", "/api/v1/statuses/"+private+"/source", nil), 404, "source of an invisible status")
		if got := getStatus(t, alice, id)["content"]; got != "<p>mine</p>" {
			t.Errorf("after refused edits content = %v; want unchanged", got)
		}
		history := list(t, alice.Do(t, "GET", "/api/v1/statuses/"+id+"/history", nil), "history of an unedited status")
		if len(history) != 1 || history[0]["content"] != "<p>mine</p>" {
			t.Errorf("unedited history = %v; want the status itself", history)
		}
		want(t, in.Do(t, "", "PUT", "/api/v1/statuses/"+id, jsonObj{"status": "anon"}), 401, "anonymous edit")
	})
}

func TestEditNotifiesInteractors(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol, dave := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol"), in.NewMember(t, "dave")
		id := say(t, alice, "hello")
		obj(t, bob.Do(t, "POST", "/api/v1/statuses/"+id+"/favourite", nil), 200, "favourite")
		obj(t, carol.Do(t, "POST", "/api/v1/statuses/"+id+"/reblog", nil), 200, "boost")
		obj(t, alice.Do(t, "PUT", "/api/v1/statuses/"+id, jsonObj{"status": "hello, edited"}), 200, "edit")
		for _, m := range []*servertest.Member{bob, carol} {
			if types := notificationTypesOf(t, m, id); !hasType(types, "update") {
				t.Errorf("%s notifications = %v; want an update", m.Account.Username, types)
			}
		}
		if types := notificationTypesOf(t, dave, id); len(types) != 0 {
			t.Errorf("dave, who did not interact, got %v", types)
		}
		if types := notificationTypesOf(t, alice, id); hasType(types, "update") {
			t.Errorf("the author was told of her own edit")
		}
	})
}

func TestStatusesByID(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		a, b := say(t, alice, "a"), say(t, alice, "b")
		private := post(t, alice, jsonObj{"status": "secret", "visibility": "private"})["id"].(string)
		path := "/api/v1/statuses?id[]=" + b + "&id[]=" + private + "&id[]=4242&id[]=" + a + "&id[]=" + b
		got := list(t, bob.Do(t, "GET", path, nil), "statuses by id")
		conformsAll(t, "Status", got)
		sameIDs(t, "bob's statuses by id", ids(got), []string{b, a})
		sameIDs(t, "alice's statuses by id", idsAt(t, alice, path), []string{b, private, a})
		sameIDs(t, "anonymous statuses by id", ids(list(t, in.Do(t, "", "GET", path, nil), "anonymous")), []string{b, a})
		many := "/api/v1/statuses?"
		for i := 0; i < 21; i++ {
			many += "id[]=" + a + "&"
		}
		errorMessage(t, bob.Do(t, "GET", many, nil), 422, "21 ids")
	})
}

func TestTranslateWithoutService(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		id := say(t, alice, "bonjour")
		errorMessage(t, bob.Do(t, "POST", "/api/v1/statuses/"+id+"/translate", nil), 404, "translate without a translation service")
		want(t, in.Do(t, "", "POST", "/api/v1/statuses/"+id+"/translate", nil), 401, "anonymous translate")
		instance := obj(t, in.Do(t, "", "GET", "/api/v2/instance", nil), 200, "instance")
		if field(instance, "configuration", "translation", "enabled") != false {
			t.Errorf("instance translation = %v; want disabled", field(instance, "configuration", "translation"))
		}
	})
}
