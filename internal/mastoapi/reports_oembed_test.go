package mastoapi_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/accounts"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/mail/mailpittest"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

func TestReports(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol")
		rule := addRule(t, in, "No spam", "")
		spam := say(t, bob, "buy now")
		secret := post(t, bob, jsonObj{"status": "followers only", "visibility": "private"})["id"].(string)
		carols := say(t, carol, "innocent")
		bobID := idOf(bob.Account.ID)

		r := obj(t, alice.Do(t, "POST", "/api/v1/reports", jsonObj{"account_id": bobID, "status_ids": []string{spam, spam},
			"comment": "spam account", "category": "spam", "forward": true}), 200, "report")
		conforms(t, "Report", r)
		if r["category"] != "spam" || r["comment"] != "spam account" || r["action_taken"] != false || r["forwarded"] != false ||
			field(r, "target_account", "id") != bobID || r["rule_ids"] != nil {
			t.Errorf("report = %v", r)
		}
		if l, _ := r["status_ids"].([]any); len(l) != 1 || l[0] != spam {
			t.Errorf("status_ids = %v; want [%s]", r["status_ids"], spam)
		}
		stored, err := in.Store.ReportByID(context.Background(), mustID(t, r["id"]))
		if err != nil || stored.AccountID != alice.Account.ID || stored.TargetAccountID != bob.Account.ID || len(stored.StatusIDs) != 1 {
			t.Errorf("stored report = %+v, %v", stored, err)
		}

		v := obj(t, alice.Form(t, "POST", "/api/v1/reports", "account_id="+bobID+"&rule_ids[]="+rule+"&category=other"), 200, "report citing a rule")
		if v["category"] != "violation" || field(v, "rule_ids") == nil {
			t.Errorf("report with rules = %v; want category violation", v)
		}
		if v := obj(t, alice.Do(t, "POST", "/api/v1/reports", jsonObj{"account_id": bobID}), 200, "bare report"); v["category"] != "other" || v["status_ids"] != nil {
			t.Errorf("bare report = %v; want category other, no statuses", v)
		}

		for name, tc := range map[string]struct {
			body jsonObj
			code int
		}{
			"unknown rule":           {jsonObj{"account_id": bobID, "rule_ids": []string{"12345"}}, 422},
			"violation, no rules":    {jsonObj{"account_id": bobID, "category": "violation"}, 422},
			"unknown category":       {jsonObj{"account_id": bobID, "category": "rude"}, 422},
			"comment too long":       {jsonObj{"account_id": bobID, "comment": strings.Repeat("é", 1001)}, 422},
			"another's status":       {jsonObj{"account_id": bobID, "status_ids": []string{carols}}, 404},
			"status alice can't see": {jsonObj{"account_id": bobID, "status_ids": []string{secret}}, 404},
			"malformed status id":    {jsonObj{"account_id": bobID, "status_ids": []string{"x"}}, 404},
			"unknown account":        {jsonObj{"account_id": "999"}, 404},
			"no account":             {jsonObj{"comment": "who?"}, 404},
		} {
			errorMessage(t, alice.Do(t, "POST", "/api/v1/reports", tc.body), tc.code, name)
		}
		obj(t, alice.Do(t, "POST", "/api/v1/reports", jsonObj{"account_id": bobID, "comment": strings.Repeat("é", 1000)}), 200, "1000-character comment")
		errorMessage(t, in.Do(t, "", "POST", "/api/v1/reports", jsonObj{"account_id": bobID}), 401, "anonymous report")
		errorMessage(t, in.Do(t, in.Token(t, &alice.User.ID, "read"), "POST", "/api/v1/reports", jsonObj{"account_id": bobID}), 403, "report without write:reports")
		errorMessage(t, in.Do(t, in.Token(t, nil, "write"), "POST", "/api/v1/reports", jsonObj{"account_id": bobID}), 422, "report with an app token")
	})
}

func mustID(t *testing.T, v any) int64 {
	t.Helper()
	s, _ := v.(string)
	var n int64
	for _, c := range s {
		n = n*10 + int64(c-'0')
	}
	if n == 0 {
		t.Fatalf("id %v", v)
	}
	return n
}

func TestReportMailsStaff(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			mp := mailpittest.Start(t)
			in := servertest.Start(t, engine, func(c *config.Config) { mp.Configure(c) })
			fastPasswords(in)
			if err := in.StartJobs(context.Background()); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { in.StopJobs(5 * time.Second) })
			if _, _, err := in.Accounts.Create(context.Background(), accounts.CreateParams{Username: "warden", Email: "warden@example.com",
				Password: "moderator password", Role: model.RoleModerator, Confirmed: true, Approved: true}); err != nil {
				t.Fatal(err)
			}
			alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
			obj(t, alice.Do(t, "POST", "/api/v1/reports", jsonObj{"account_id": idOf(bob.Account.ID), "comment": "rude"}), 200, "report")
			m := mp.WaitFor(t, "warden@example.com", 1)[0]
			if s := m.Text; !strings.Contains(m.Subject, "bob") || !strings.Contains(s, "alice reported bob") || !strings.Contains(s, "rude") {
				t.Errorf("staff notice = %s; want the target and the comment", s)
			}
		})
	}
}

func TestOEmbed(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		st := post(t, alice, jsonObj{"status": "embed <me>", "spoiler_text": "cw"})
		unlisted := post(t, alice, jsonObj{"status": "quiet", "visibility": "unlisted"})
		private := post(t, alice, jsonObj{"status": "secret", "visibility": "private"})
		oembed := func(u string) *servertest.Response {
			return in.Do(t, "", "GET", "/api/oembed?url="+url.QueryEscape(u), nil)
		}
		v := obj(t, oembed(st["url"].(string)), 200, "oembed by URL")
		conforms(t, "OEmbedResponse", v)
		h, _ := v["html"].(string)
		if v["type"] != "rich" || v["width"] != 400.0 || v["height"] != nil || v["author_url"] != field(st, "account", "url") ||
			!strings.Contains(h, "embed &lt;me&gt;") || !strings.Contains(h, st["url"].(string)) || !strings.Contains(h, "<summary>cw</summary>") {
			t.Errorf("oembed = %v", v)
		}
		if v := obj(t, oembed(st["uri"].(string)), 200, "oembed by URI"); v["html"] != h {
			t.Errorf("oembed by URI differs: %v", v["html"])
		}
		if v := obj(t, in.Do(t, "", "GET", "/api/oembed?maxwidth=250&url="+url.QueryEscape(unlisted["url"].(string)), nil), 200, "narrow unlisted oembed"); v["width"] != 250.0 {
			t.Errorf("width = %v; want 250", v["width"])
		}
		remote := remoteStatus(t, in, "far")
		for name, u := range map[string]string{
			"private status": private["url"].(string), "remote status": "https://remote.example/statuses/" + remote,
			"another author's path": strings.Replace(st["url"].(string), "@alice", "@bob", 1), "no status": in.URL + "/@alice/123",
			"not a URL": "alice", "missing": "",
		} {
			errorMessage(t, oembed(u), 404, name)
		}
		errorMessage(t, in.Do(t, "", "GET", "/api/oembed?maxwidth=wide&url="+url.QueryEscape(st["url"].(string)), nil), 422, "malformed maxwidth")
	})
}
