package authpages_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/tuskhq/tusk/internal/accounts"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/mail/mailpittest"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

const unconfirmedError = `{"error":"Your login is missing a confirmed e-mail address"}`

// start runs mailpit and a tusk instance that mails through it and works its queues.
func start(t *testing.T, engine store.Engine, registrations string) (*servertest.Instance, *mailpittest.Server) {
	t.Helper()
	mp := mailpittest.Start(t)
	in := servertest.Start(t, engine, func(c *config.Config) {
		mp.Configure(c)
		c.Registrations = registrations
		c.SiteTitle = "Tusk Mail Test"
	})
	if err := in.StartJobs(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.StopJobs(5 * time.Second) })
	return in, mp
}

func engines(t *testing.T, fn func(t *testing.T, engine store.Engine)) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) { fn(t, engine) })
	}
}

// signUp registers username through the API and returns the member's token.
func signUp(t *testing.T, in *servertest.Instance, username string) string {
	t.Helper()
	r := in.Do(t, in.Token(t, nil, "write"), "POST", "/api/v1/accounts", map[string]any{"username": username,
		"email": username + "@example.org", "password": "sign-up password", "agreement": true, "reason": "tusks"})
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if r.Status != http.StatusOK {
		t.Fatalf("sign up: %d %s", r.Status, r.Body)
	}
	r.JSON(t, &tok)
	return tok.AccessToken
}

// browser is a cookie-keeping client that shows redirects instead of following them.
type browser struct {
	t      *testing.T
	client *http.Client
	base   string
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// page is a fetched HTML page with its form fields.
type page struct {
	status int
	body   string
	fields url.Values
}

func (b *browser) get(rawURL string) page {
	b.t.Helper()
	if strings.HasPrefix(rawURL, "/") {
		rawURL = b.base + rawURL
	}
	resp, err := b.client.Get(rawURL)
	if err != nil {
		b.t.Fatal(err)
	}
	return read(b.t, resp)
}

// submit posts p's form fields, changed as set, to path.
func (b *browser) submit(path string, p page, set map[string]string) page {
	b.t.Helper()
	form := url.Values{}
	for k, v := range p.fields {
		form[k] = append([]string(nil), v...)
	}
	for k, v := range set {
		form.Set(k, v)
	}
	resp, err := b.client.PostForm(b.base+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	return read(b.t, resp)
}

func read(t *testing.T, resp *http.Response) page {
	t.Helper()
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	doc, err := html.Parse(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	fields := url.Values{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "input" {
			var name, value string
			for _, a := range n.Attr {
				switch a.Key {
				case "name":
					name = a.Val
				case "value":
					value = a.Val
				}
			}
			if name != "" {
				fields.Add(name, value)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return page{status: resp.StatusCode, body: string(raw), fields: fields}
}

func TestSignUpConfirmation(t *testing.T) {
	engines(t, func(t *testing.T, engine store.Engine) {
		in, mp := start(t, engine, config.RegistrationsOpen)
		token := signUp(t, in, "newbie")
		if r := in.Do(t, token, "GET", "/api/v1/accounts/verify_credentials", nil); r.Status != http.StatusForbidden ||
			strings.TrimSpace(string(r.Body)) != unconfirmedError {
			t.Errorf("unconfirmed token: %d %s; want 403 %s", r.Status, r.Body, unconfirmedError)
		}
		m := mp.WaitFor(t, "newbie@example.org", 1)[0]
		if m.Subject != "Confirm your e-mail address for Tusk Mail Test" || m.From.Address != "notifications@127.0.0.1" {
			t.Errorf("mail: %v from %v", m, m.From)
		}
		link := mailpittest.LinkWith(t, m.Text, in.URL+"/auth/confirmation?confirmation_token=")
		if !strings.Contains(m.HTML, `href="`+link+`"`) || !strings.Contains(m.Text, "Hello newbie,") {
			t.Errorf("HTML part lacks the text part's link %s:\n%s", link, m.HTML)
		}
		b := newBrowser(t, in.URL)
		if p := b.get(link); p.status != http.StatusOK || !strings.Contains(p.body, "You can now sign in") {
			t.Fatalf("confirmation link: %d %s", p.status, p.body)
		}
		if r := in.Do(t, token, "GET", "/api/v1/accounts/verify_credentials", nil); r.Status != http.StatusOK {
			t.Errorf("confirmed token: %d %s; want 200", r.Status, r.Body)
		}
		if p := b.get(link); p.status != http.StatusNotFound {
			t.Errorf("confirmation link used twice: %d; want 404", p.status)
		}
		if r := in.Do(t, token, "POST", "/api/v1/emails/confirmations", nil); r.Status != http.StatusForbidden {
			t.Errorf("resend after confirming: %d %s; want 403", r.Status, r.Body)
		}
	})
}

func TestResendConfirmationToCorrectedAddress(t *testing.T) {
	engines(t, func(t *testing.T, engine store.Engine) {
		in, mp := start(t, engine, config.RegistrationsOpen)
		token := signUp(t, in, "typo")
		first := mp.WaitFor(t, "typo@example.org", 1)[0]
		r := in.Do(t, token, "POST", "/api/v1/emails/confirmations", map[string]any{"email": "fixed@example.org"})
		if r.Status != http.StatusOK || strings.TrimSpace(string(r.Body)) != "{}" {
			t.Fatalf("resend: %d %s", r.Status, r.Body)
		}
		second := mp.WaitFor(t, "fixed@example.org", 1)[0]
		b := newBrowser(t, in.URL)
		prefix := in.URL + "/auth/confirmation?confirmation_token="
		if p := b.get(mailpittest.LinkWith(t, first.Text, prefix)); p.status != http.StatusNotFound {
			t.Errorf("link sent to the old address: %d; want 404", p.status)
		}
		if p := b.get(mailpittest.LinkWith(t, second.Text, prefix)); p.status != http.StatusOK {
			t.Errorf("link sent to the corrected address: %d %s", p.status, p.body)
		}
		if r := in.Do(t, token, "GET", "/api/v1/accounts/verify_credentials", nil); r.Status != http.StatusOK {
			t.Errorf("token after confirming: %d %s", r.Status, r.Body)
		}
	})
}

func TestApprovalModeNotifiesAdmins(t *testing.T) {
	engines(t, func(t *testing.T, engine store.Engine) {
		in, mp := start(t, engine, config.RegistrationsApproval)
		ctx := context.Background()
		for _, staff := range []struct{ name, role string }{{"boss", model.RoleOwner}, {"admin1", model.RoleAdmin}, {"mod1", model.RoleModerator}} {
			if _, _, err := in.Accounts.Create(ctx, accounts.CreateParams{Username: staff.name, Email: staff.name + "@staff.example",
				Password: "staff password", Role: staff.role, Confirmed: true, Approved: true, AllowReserved: true}); err != nil {
				t.Fatal(err)
			}
		}
		token := signUp(t, in, "hopeful")
		for _, admin := range []string{"boss", "admin1"} {
			m := mp.WaitFor(t, admin+"@staff.example", 1)[0]
			if m.Subject != "New sign-up awaiting approval on Tusk Mail Test: hopeful" ||
				!strings.Contains(m.Text, "hopeful@example.org") || !strings.Contains(m.Text, "Hello "+admin+",") ||
				!strings.Contains(m.HTML, "tusks") {
				t.Errorf("notice to %s: %v\n%s", admin, m, m.Text)
			}
		}
		m := mp.WaitFor(t, "hopeful@example.org", 1)[0]
		if p := newBrowser(t, in.URL).get(mailpittest.LinkWith(t, m.Text, in.URL+"/auth/confirmation")); p.status != http.StatusOK ||
			!strings.Contains(p.body, "waits for approval") {
			t.Errorf("confirmation page: %d %s", p.status, p.body)
		}
		r := in.Do(t, token, "GET", "/api/v1/accounts/verify_credentials", nil)
		if r.Status != http.StatusForbidden || !strings.Contains(string(r.Body), "pending approval") {
			t.Errorf("pending member's token: %d %s; want 403 pending approval", r.Status, r.Body)
		}
		for _, msg := range mp.Messages(t) {
			if msg.Recipients()[0] == "mod1@staff.example" {
				t.Errorf("moderator got the sign-up notice: %v", msg)
			}
		}
	})
}

func TestPasswordReset(t *testing.T) {
	engines(t, func(t *testing.T, engine store.Engine) {
		in, mp := start(t, engine, config.RegistrationsClosed)
		member := in.NewMember(t, "forgetful")
		b := newBrowser(t, in.URL)
		form := b.get("/auth/password/new")
		if form.status != http.StatusOK || form.fields.Get("csrf_token") == "" {
			t.Fatalf("reset form: %d %s", form.status, form.body)
		}
		if p := newBrowser(t, in.URL).submit("/auth/password/new", form, map[string]string{"email": "forgetful@example.com"}); p.status != http.StatusForbidden {
			t.Errorf("POST without the CSRF cookie: %d; want 403", p.status)
		}
		known := b.submit("/auth/password/new", form, map[string]string{"email": "forgetful@example.com"})
		unknown := b.submit("/auth/password/new", form, map[string]string{"email": "nobody@example.com"})
		if known.status != http.StatusOK || unknown.status != http.StatusOK ||
			strings.ReplaceAll(known.body, "forgetful@", "") != strings.ReplaceAll(unknown.body, "nobody@", "") {
			t.Errorf("known and unknown addresses answered differently:\n%s\n%s", known.body, unknown.body)
		}
		m := mp.WaitFor(t, "forgetful@example.com", 1)[0]
		if m.Subject != "Reset your password on Tusk Mail Test" {
			t.Errorf("Subject = %q", m.Subject)
		}
		link := mailpittest.LinkWith(t, m.Text, in.URL+"/auth/password/edit?reset_password_token=")
		edit := b.get(link)
		if edit.status != http.StatusOK || edit.fields.Get("reset_password_token") == "" {
			t.Fatalf("edit form: %d %s", edit.status, edit.body)
		}
		if p := b.submit("/auth/password/edit", edit, map[string]string{"password": "a new password", "password_confirmation": "another"}); p.status != http.StatusUnprocessableEntity {
			t.Errorf("different passwords: %d; want 422", p.status)
		}
		if p := b.submit("/auth/password/edit", edit, map[string]string{"password": "short", "password_confirmation": "short"}); p.status != http.StatusUnprocessableEntity {
			t.Errorf("short password: %d; want 422", p.status)
		}
		done := b.submit("/auth/password/edit", edit, map[string]string{"password": "a new password", "password_confirmation": "a new password"})
		if done.status != http.StatusOK || !strings.Contains(done.body, "Your password is changed") {
			t.Fatalf("reset: %d %s", done.status, done.body)
		}
		if _, err := in.Accounts.Authenticate(context.Background(), "forgetful@example.com", "a new password"); err != nil {
			t.Errorf("sign in with the new password: %v", err)
		}
		if r := member.Do(t, "GET", "/api/v1/accounts/verify_credentials", nil); r.Status != http.StatusUnauthorized {
			t.Errorf("token from before the reset: %d; want 401", r.Status)
		}
		if p := b.get(link); p.status != http.StatusNotFound {
			t.Errorf("reset link used twice: %d; want 404", p.status)
		}
	})
}

func TestEmailChange(t *testing.T) {
	engines(t, func(t *testing.T, engine store.Engine) {
		in, mp := start(t, engine, config.RegistrationsClosed)
		in.NewMember(t, "mover")
		b := newBrowser(t, in.URL)
		if p := b.get("/auth/email/change"); p.status != http.StatusSeeOther {
			t.Errorf("change page while signed out: %d; want a redirect to sign in", p.status)
		}
		signIn := b.get("/auth/sign_in")
		if p := b.submit("/auth/sign_in", signIn, map[string]string{"email": "mover@example.com",
			"password": "correct horse battery staple"}); p.status != http.StatusSeeOther {
			t.Fatalf("sign in: %d %s", p.status, p.body)
		}
		form := b.get("/auth/email/change")
		if form.status != http.StatusOK || !strings.Contains(form.body, "mover@example.com") {
			t.Fatalf("change page: %d %s", form.status, form.body)
		}
		if p := b.submit("/auth/email/change", form, map[string]string{"email": "moved@example.net", "current_password": "wrong"}); p.status != http.StatusUnprocessableEntity {
			t.Errorf("wrong current password: %d; want 422", p.status)
		}
		p := b.submit("/auth/email/change", form, map[string]string{"email": "moved@example.net", "current_password": "correct horse battery staple"})
		if p.status != http.StatusOK {
			t.Fatalf("change: %d %s", p.status, p.body)
		}
		notice := mp.WaitFor(t, "mover@example.com", 1)[0]
		if !strings.Contains(notice.Text, "moved@example.net") || !strings.Contains(notice.Subject, "is being changed") {
			t.Errorf("notice to the old address: %v\n%s", notice, notice.Text)
		}
		m := mp.WaitFor(t, "moved@example.net", 1)[0]
		link := mailpittest.LinkWith(t, m.Text, in.URL+"/auth/email/confirm?token=")
		if u, _ := in.Store.UserByEmail(context.Background(), "mover@example.com"); u == nil {
			t.Fatal("the address changed before its confirmation")
		}
		if p := b.get(link); p.status != http.StatusOK || !strings.Contains(p.body, "moved@example.net") {
			t.Fatalf("confirm link: %d %s", p.status, p.body)
		}
		if _, err := in.Accounts.Authenticate(context.Background(), "moved@example.net", "correct horse battery staple"); err != nil {
			t.Errorf("sign in with the new address: %v", err)
		}
		if p := b.get(link); p.status != http.StatusNotFound {
			t.Errorf("change link used twice: %d; want 404", p.status)
		}
	})
}
