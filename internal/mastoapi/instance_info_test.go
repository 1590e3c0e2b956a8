package mastoapi_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

// enginesWith is engines for instances whose settings configure adjusts.
func enginesWith(t *testing.T, configure func(*config.Config), fn func(t *testing.T, in *servertest.Instance)) {
	t.Parallel()
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			in := servertest.Start(t, engine, configure)
			fastPasswords(in)
			fn(t, in)
		})
	}
}

func addRule(t *testing.T, in *servertest.Instance, text, hint string) string {
	t.Helper()
	r := &model.Rule{Text: text, Hint: hint}
	if err := in.Store.Writer().InsertRule(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	return idOf(r.ID)
}

func blockDomain(t *testing.T, in *servertest.Instance, b model.DomainBlock) {
	t.Helper()
	if err := in.Store.Writer().ServerInsertDomainBlock(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
}

func TestInstancePeers(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		in.NewMember(t, "alice")
		remoteStatus(t, in, "from afar")
		q := in.Store.Writer()
		for _, d := range []string{"blocked.example", "silenced.example"} {
			if err := q.InsertAccount(context.Background(), &model.Account{Username: "x", Domain: d, URI: "https://" + d + "/users/x"}); err != nil {
				t.Fatal(err)
			}
		}
		blockDomain(t, in, model.DomainBlock{Domain: "blocked.example", Severity: model.SeveritySuspend})
		var peers []string
		r := in.Do(t, "", "GET", "/api/v1/instance/peers", nil)
		want(t, r, 200, "peers")
		r.JSON(t, &peers)
		sameIDs(t, "peers", peers, []string{"remote.example", "silenced.example"})

		in.Social.Config.Instance.PeersAPI = false
		want(t, in.Do(t, "", "GET", "/api/v1/instance/peers", nil), 404, "peers when the admins keep them private")
	})
}

func TestInstanceActivity(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		in.NewMember(t, "bob")
		say(t, alice, "one")
		say(t, alice, "two")
		remoteStatus(t, in, "not local, not counted")
		var weeks []map[string]string
		r := in.Do(t, "", "GET", "/api/v1/instance/activity", nil)
		want(t, r, 200, "activity")
		r.JSON(t, &weeks)
		if len(weeks) != 12 {
			t.Fatalf("activity has %d weeks; want 12", len(weeks))
		}
		monday := model.WeekOf(time.Now())
		if weeks[0]["week"] != strconv.FormatInt(monday.Unix(), 10) || weeks[1]["week"] != strconv.FormatInt(monday.AddDate(0, 0, -7).Unix(), 10) {
			t.Errorf("weeks start %s, %s; want this Monday %d, then the one before", weeks[0]["week"], weeks[1]["week"], monday.Unix())
		}
		// Both members got a token (a sign-in) this week; alice posted twice.
		if w := weeks[0]; w["statuses"] != "2" || w["logins"] != "2" || w["registrations"] != "2" {
			t.Errorf("this week = %v; want 2 statuses, 2 logins, 2 registrations", w)
		}
		if w := weeks[11]; w["statuses"] != "0" || w["logins"] != "0" || w["registrations"] != "0" {
			t.Errorf("twelve weeks ago = %v; want zeros", w)
		}
		in.Social.Config.Instance.ActivityAPI = false
		want(t, in.Do(t, "", "GET", "/api/v1/instance/activity", nil), 404, "activity when the admins keep it private")
	})
}

func TestTokenUseCountsAsLogin(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		ctx := context.Background()
		// A sign-in recorded last week shows there; using the token this week adds this week.
		if err := in.Store.Writer().RecordLogin(ctx, alice.User.ID, model.WeekOf(time.Now()).AddDate(0, 0, -7)); err != nil {
			t.Fatal(err)
		}
		if _, err := in.Store.DB().ExecContext(ctx, `DELETE FROM login_weeks WHERE week = $1`, model.WeekOf(time.Now()).Unix()); err != nil {
			t.Fatal(err)
		}
		want(t, alice.Do(t, "GET", "/api/v1/accounts/verify_credentials", nil), 200, "verify credentials")
		var weeks []map[string]string
		in.Do(t, "", "GET", "/api/v1/instance/activity", nil).JSON(t, &weeks)
		if weeks[0]["logins"] != "1" || weeks[1]["logins"] != "1" {
			t.Errorf("logins this week, last week = %s, %s; want 1, 1", weeks[0]["logins"], weeks[1]["logins"])
		}
	})
}

func TestInstanceRules(t *testing.T) {
	enginesWith(t, func(c *config.Config) { c.Instance.ContactUsername = "helpdesk" }, func(t *testing.T, in *servertest.Instance) {
		staff := in.NewMember(t, "helpdesk")
		first := addRule(t, in, "Be kind", "No harassment of any kind.")
		second := addRule(t, in, "No spam", "")
		l := list(t, in.Do(t, "", "GET", "/api/v1/instance/rules", nil), "rules")
		conformsAll(t, "Rule", l)
		sameIDs(t, "rules", ids(l), []string{first, second})
		if l[0]["text"] != "Be kind" || l[0]["hint"] != "No harassment of any kind." {
			t.Errorf("first rule = %v", l[0])
		}
		v1 := obj(t, in.Do(t, "", "GET", "/api/v1/instance", nil), 200, "instance v1")
		v2 := obj(t, in.Do(t, "", "GET", "/api/v2/instance", nil), 200, "instance v2")
		conforms(t, "Instance", v2)
		for name, rules := range map[string]any{"v1": v1["rules"], "v2": v2["rules"]} {
			if l, _ := rules.([]any); len(l) != 2 || l[1].(map[string]any)["id"] != second {
				t.Errorf("%s rules = %v; want the two rules", name, rules)
			}
		}
		if field(v1, "contact_account", "id") != idOf(staff.Account.ID) || field(v2, "contact", "account", "id") != idOf(staff.Account.ID) {
			t.Errorf("contact accounts = %v, %v; want helpdesk", v1["contact_account"], field(v2, "contact", "account"))
		}
	})
}

func TestInstanceDomainBlocks(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		blockDomain(t, in, model.DomainBlock{Domain: "spam.example", Severity: model.SeveritySuspend, PublicComment: "spam", PrivateComment: "staff note"})
		blockDomain(t, in, model.DomainBlock{Domain: "loud.example", Severity: model.SeveritySilence})
		blockDomain(t, in, model.DomainBlock{Domain: "secret-place.example", Severity: model.SeveritySuspend, Obfuscate: true})
		blockDomain(t, in, model.DomainBlock{Domain: "noop.example", Severity: model.SeverityNoop})
		const path = "/api/v1/instance/domain_blocks"
		settings := &in.Social.Config.Instance

		want(t, in.Do(t, "", "GET", path, nil), 404, "domain blocks shown to nobody")
		settings.ShowDomainBlocks = config.ShowUsers
		errorMessage(t, in.Do(t, "", "GET", path, nil), 401, "domain blocks shown to members, as a visitor")
		l := list(t, alice.Do(t, "GET", path, nil), "domain blocks as a member")
		conformsAll(t, "DomainBlock", l)
		var domains []string
		for _, b := range l {
			domains = append(domains, b["domain"].(string))
			if _, ok := b["comment"]; ok {
				t.Errorf("%v shows a comment while the rationale is hidden", b)
			}
		}
		sameIDs(t, "blocked domains", domains, []string{"loud.example", "secre*******.**ample", "spam.example"})
		sum := sha256.Sum256([]byte("secret-place.example"))
		if l[1]["digest"] != hex.EncodeToString(sum[:]) || l[1]["severity"] != "suspend" || l[0]["severity"] != "silence" {
			t.Errorf("blocks = %v", l)
		}

		settings.ShowDomainBlocks, settings.ShowDomainBlocksRationale = config.ShowAll, config.ShowUsers
		if l := list(t, in.Do(t, "", "GET", path, nil), "domain blocks as a visitor"); len(l) != 3 || l[2]["comment"] != nil {
			t.Errorf("visitor's list = %v; want 3 blocks without comments", l)
		}
		if l := list(t, alice.Do(t, "GET", path, nil), "domain blocks with rationale"); l[2]["comment"] != "spam" || l[0]["comment"] != nil {
			t.Errorf("member's list = %v; want spam.example's public comment only", l)
		}
	})
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestInstanceDocuments(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		settings := &in.Social.Config.Instance
		v := obj(t, in.Do(t, "", "GET", "/api/v1/instance/extended_description", nil), 200, "empty extended description")
		if v["content"] != "" || v["updated_at"] != nil {
			t.Errorf("unset extended description = %v; want empty content, null updated_at", v)
		}
		policy := obj(t, in.Do(t, "", "GET", "/api/v1/instance/privacy_policy", nil), 200, "default privacy policy")
		conforms(t, "PrivacyPolicy", policy)
		if c, _ := policy["content"].(string); !strings.Contains(c, in.Config.LocalDomain) || !strings.HasPrefix(c, "<p>") {
			t.Errorf("default policy = %.80q…", c)
		}

		dir := t.TempDir()
		settings.ExtendedDescriptionFile = filepath.Join(dir, "about.html")
		writeFile(t, settings.ExtendedDescriptionFile, `<h2>About</h2><p>Hello <script>alert(1)</script>there</p>`)
		v = obj(t, in.Do(t, "", "GET", "/api/v1/instance/extended_description", nil), 200, "extended description")
		conforms(t, "ExtendedDescription", v)
		if c := v["content"].(string); !strings.Contains(c, "<h2>About</h2>") || strings.Contains(c, "script") {
			t.Errorf("extended description = %q; want the HTML without its script", c)
		}
		settings.PrivacyPolicyFile = filepath.Join(dir, "policy.txt")
		writeFile(t, settings.PrivacyPolicyFile, "We keep little.\n\nSee https://example.org/more <b>now</b>")
		v = obj(t, in.Do(t, "", "GET", "/api/v1/instance/privacy_policy", nil), 200, "privacy policy from a file")
		if c := v["content"].(string); !strings.HasPrefix(c, "<p>We keep little.</p><p>") || !strings.Contains(c, "&lt;b&gt;") || !strings.Contains(c, `href="https://example.org/more"`) {
			t.Errorf("plain-text policy = %q", c)
		}
	})
}

func TestTermsOfService(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		const path = "/api/v1/instance/terms_of_service"
		errorMessage(t, in.Do(t, "", "GET", path, nil), 404, "terms when there are none")
		dir := t.TempDir()
		in.Social.Config.Instance.TermsOfServiceDir = dir
		errorMessage(t, in.Do(t, "", "GET", path, nil), 404, "terms from an empty folder")
		writeFile(t, filepath.Join(dir, "2020-01-01.txt"), "Old terms.")
		writeFile(t, filepath.Join(dir, "2024-06-01.html"), "<p>Current terms.</p>")
		writeFile(t, filepath.Join(dir, "2999-01-01.html"), "<p>Future terms.</p>")
		writeFile(t, filepath.Join(dir, "notes.txt"), "not a version")

		cur := obj(t, in.Do(t, "", "GET", path, nil), 200, "current terms")
		conforms(t, "TermsOfService", cur)
		if cur["effective_date"] != "2024-06-01" || cur["effective"] != true || cur["content"] != "<p>Current terms.</p>" || cur["succeeded_by"] != "2999-01-01" {
			t.Errorf("current terms = %v", cur)
		}
		next := obj(t, in.Do(t, "", "GET", path+"/2999-01-01", nil), 200, "upcoming terms")
		if next["effective"] != false || next["succeeded_by"] != nil {
			t.Errorf("upcoming terms = %v", next)
		}
		old := obj(t, in.Do(t, "", "GET", path+"/2020-01-01", nil), 200, "old terms")
		if old["content"] != "<p>Old terms.</p>" || old["succeeded_by"] != "2024-06-01" {
			t.Errorf("old terms = %v", old)
		}
		for _, date := range []string{"2021-01-01", "notes", "..%2F..%2Fetc"} {
			want(t, in.Do(t, "", "GET", path+"/"+date, nil), 404, "terms of "+date)
		}
	})
}

func TestTranslationLanguages(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		r := in.Do(t, "", "GET", "/api/v1/instance/translation_languages", nil)
		if r.Status != 200 || strings.TrimSpace(string(r.Body)) != "{}" {
			t.Errorf("translation languages = %d %s; want 200 {} (tusk translates nothing)", r.Status, r.Body)
		}
	})
}
