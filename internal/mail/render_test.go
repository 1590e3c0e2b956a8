package mail

import (
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/config"
)

func testConfig() config.Config {
	return config.Config{LocalDomain: "tusk.test", WebDomain: "tusk.test", LocalHTTPS: true, SiteTitle: "Tusk Test",
		Mail: config.MailConfig{From: "notifications@tusk.test"}}
}

// sampleData fills every key each template reads.
var sampleData = map[string]map[string]string{
	TemplateConfirmation:      {"username": "ada"},
	TemplatePasswordReset:     {"username": "ada"},
	TemplateEmailChange:       {"username": "ada"},
	TemplateEmailChangeNotice: {"username": "ada", "new_email": "ada@new.example", "contact": "admins@tusk.test"},
	TemplateAdminSignup:       {"staff": "root", "username": "ada", "email": "ada@example.org", "reason": "I like tusks"},
	TemplateAdminReport: {"staff": "root", "report_id": "7", "reporter": "ada", "target": "spam@bad.example",
		"statuses": "2", "comment": "spam", "url": ""},
}

func TestEveryTemplateRendersBothParts(t *testing.T) {
	cfg := testConfig()
	for _, name := range Templates {
		t.Run(name, func(t *testing.T) {
			m, err := Render(cfg, name, "ada@example.org", "https://tusk.test/link?t=SECRET", sampleData[name])
			if err != nil {
				t.Fatal(err)
			}
			if m.To != "ada@example.org" || m.Subject == "" || strings.ContainsAny(m.Subject, "\r\n") {
				t.Errorf("To %q, Subject %q", m.To, m.Subject)
			}
			for part, body := range map[string]string{"text": m.Text, "html": m.HTML} {
				if !strings.Contains(body, "Tusk Test") || !strings.Contains(body, "https://tusk.test") {
					t.Errorf("%s part lacks the instance's name or address:\n%s", part, body)
				}
				if strings.Contains(body, "<no value>") {
					t.Errorf("%s part has a missing value:\n%s", part, body)
				}
			}
			if !strings.HasPrefix(m.HTML, "<!DOCTYPE html>") {
				t.Errorf("HTML part does not start with a doctype: %.40q", m.HTML)
			}
		})
	}
}

func TestLinksAppearInBothParts(t *testing.T) {
	link := "https://tusk.test/auth/confirmation?confirmation_token=abc_DEF-123"
	for _, name := range []string{TemplateConfirmation, TemplatePasswordReset, TemplateEmailChange} {
		m, err := Render(testConfig(), name, "ada@example.org", link, sampleData[name])
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(m.Text, link) || !strings.Contains(m.HTML, `href="`+link+`"`) {
			t.Errorf("%s: link missing from a part:\n%s\n%s", name, m.Text, m.HTML)
		}
	}
}

func TestMissingDataFails(t *testing.T) {
	if _, err := Render(testConfig(), TemplateAdminSignup, "root@tusk.test", "", map[string]string{"username": "ada"}); err == nil {
		t.Error("rendering without every key succeeded; want an error")
	}
	if _, err := Render(testConfig(), "no_such_mail", "a@b.c", "", nil); err == nil {
		t.Error("unknown template rendered")
	}
}

// TestReportNoticeRendering renders the notice NotifyNewReport queues, with hostile text
// in the member-written fields.
func TestReportNoticeRendering(t *testing.T) {
	data := map[string]string{"staff": "mod", "report_id": "42", "reporter": "ada", "target": "troll@bad.example",
		"statuses": "3", "comment": "<script>alert(1)</script> & more", "url": "https://tusk.test/admin/reports/42"}
	m, err := Render(testConfig(), TemplateAdminReport, "mod@tusk.test", "", data)
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "New report on Tusk Test: troll@bad.example" {
		t.Errorf("Subject = %q", m.Subject)
	}
	for _, want := range []string{"Hello mod,", "ada reported troll@bad.example", "#42", "Statuses: 3",
		"<script>alert(1)</script> & more", "Review it: https://tusk.test/admin/reports/42"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("text part lacks %q:\n%s", want, m.Text)
		}
	}
	if strings.Contains(m.HTML, "<script>") || !strings.Contains(m.HTML, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more") {
		t.Errorf("HTML part does not escape the comment:\n%s", m.HTML)
	}
	if !strings.Contains(m.HTML, `href="https://tusk.test/admin/reports/42"`) {
		t.Errorf("HTML part lacks the review link:\n%s", m.HTML)
	}
}

func TestSubjectStaysOnOneLine(t *testing.T) {
	data := map[string]string{"staff": "root", "report_id": "1", "reporter": "a", "target": "x\r\nBcc: victim@example.org",
		"statuses": "0", "comment": "", "url": ""}
	m, err := Render(testConfig(), TemplateAdminReport, "root@tusk.test", "", data)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		t.Errorf("Subject = %q; want one line", m.Subject)
	}
}
