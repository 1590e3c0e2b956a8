package mastoapi_test

import (
	"testing"

	"github.com/tuskhq/tusk/internal/server/servertest"
)

func TestMarkers(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		get := func(m *servertest.Member, query string) jsonObj {
			t.Helper()
			return obj(t, m.Do(t, "GET", "/api/v1/markers"+query, nil), 200, "GET markers"+query)
		}
		if got := get(alice, "?timeline[]=home&timeline[]=notifications"); len(got) != 0 {
			t.Errorf("markers before any = %v; want {}", got)
		}
		saved := obj(t, alice.Do(t, "POST", "/api/v1/markers", jsonObj{"home": jsonObj{"last_read_id": "1000"}}), 200, "POST home")
		conforms(t, "Marker", saved["home"])
		if field(saved, "home", "last_read_id") != "1000" || field(saved, "home", "version") != 0.0 || saved["notifications"] != nil {
			t.Errorf("first save = %v; want home at 1000, version 0", saved)
		}
		r := alice.Form(t, "POST", "/api/v1/markers", "home[last_read_id]=2000&notifications[last_read_id]=30")
		both := obj(t, r, 200, "POST both as a form")
		if field(both, "home", "version") != 1.0 || field(both, "notifications", "last_read_id") != "30" || field(both, "notifications", "version") != 0.0 {
			t.Errorf("second save = %v; want home version 1, notifications at 30", both)
		}
		obj(t, alice.Do(t, "POST", "/api/v1/markers", jsonObj{"home": jsonObj{"last_read_id": "2000"}}), 200, "same position")
		got := get(alice, "?timeline[]=home&timeline[]=notifications&timeline[]=other")
		if len(got) != 2 || field(got, "home", "last_read_id") != "2000" || field(got, "home", "version") != 1.0 {
			t.Errorf("markers = %v; want home at 2000 (version 1, unchanged by the same position) and notifications", got)
		}
		if got := get(alice, "?timeline[]=notifications"); len(got) != 1 || got["notifications"] == nil {
			t.Errorf("notifications marker alone = %v", got)
		}
		if got := get(alice, ""); len(got) != 0 {
			t.Errorf("markers without timeline[] = %v; want {}", got)
		}
		if got := get(bob, "?timeline[]=home"); len(got) != 0 {
			t.Errorf("bob sees alice's markers: %v", got)
		}
		for _, body := range []jsonObj{{"home": jsonObj{"last_read_id": "x"}}, {"notifications": jsonObj{"last_read_id": ""}}} {
			errorMessage(t, alice.Do(t, "POST", "/api/v1/markers", body), 422, "bad marker")
		}
		if r := in.Do(t, in.Token(t, &alice.User.ID, "read"), "POST", "/api/v1/markers", jsonObj{"home": jsonObj{"last_read_id": "1"}}); r.Status != 403 {
			t.Errorf("POST markers with a read token = %d; want 403", r.Status)
		}
		if r := in.Do(t, "", "GET", "/api/v1/markers?timeline[]=home", nil); r.Status != 401 {
			t.Errorf("anonymous markers = %d; want 401", r.Status)
		}
	})
}

func TestPreferences(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		prefs := obj(t, alice.Do(t, "GET", "/api/v1/preferences", nil), 200, "preferences")
		conforms(t, "Preferences", map[string]any(prefs))
		want := jsonObj{"posting:default:visibility": "public", "posting:default:sensitive": false, "posting:default:language": nil,
			"reading:expand:media": "default", "reading:expand:spoilers": false, "reading:autoplay:gifs": false}
		for k, v := range want {
			if prefs[k] != v {
				t.Errorf("%s = %v; want %v", k, prefs[k], v)
			}
		}
		obj(t, alice.Do(t, "PATCH", "/api/v1/accounts/update_credentials",
			jsonObj{"source": jsonObj{"privacy": "private", "sensitive": true, "language": "de"}}), 200, "update defaults")
		prefs = obj(t, alice.Do(t, "GET", "/api/v1/preferences", nil), 200, "preferences after update")
		if prefs["posting:default:visibility"] != "private" || prefs["posting:default:sensitive"] != true || prefs["posting:default:language"] != "de" {
			t.Errorf("preferences after update = %v", prefs)
		}
		if r := in.Do(t, in.Token(t, &alice.User.ID, "write"), "GET", "/api/v1/preferences", nil); r.Status != 403 {
			t.Errorf("preferences with a write token = %d; want 403", r.Status)
		}
		if r := in.Do(t, "", "GET", "/api/v1/preferences", nil); r.Status != 401 {
			t.Errorf("anonymous preferences = %d; want 401", r.Status)
		}
	})
}
