package console_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/console"
	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/server/servertest"
)

func TestQueuePageAccess(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		anon := newBrowser(t, in)
		res := anon.get("/admin/queues")
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/auth/sign_in?next=%2Fadmin%2Fqueues" {
			t.Errorf("anonymous GET = %d to %q; want 303 to the sign-in page", res.Status, res.Header.Get("Location"))
		}
		// An anonymous browser has no form token either: refused before anything else.
		if res := anon.post("/admin/queues/push/pause", nil); res.Status != http.StatusForbidden {
			t.Errorf("anonymous POST = %d; want 403", res.Status)
		}

		for _, role := range []string{"", model.RoleModerator} {
			m := member(t, in, "m"+strings.ToLower(role), role)
			b := newBrowser(t, in)
			if res := b.signIn(m); res.Status != http.StatusSeeOther {
				t.Fatalf("sign in %q = %d %s", role, res.Status, res.Body)
			}
			if res := b.get("/admin/queues"); res.Status != http.StatusForbidden {
				t.Errorf("role %q: GET = %d; want 403", role, res.Status)
			}
			if res := b.post("/admin/queues/push/pause", nil); res.Status != http.StatusForbidden {
				t.Errorf("role %q: POST pause = %d; want 403", role, res.Status)
			}
		}
		if queueStats(t, in, jobs.Push).Paused {
			t.Error("a non-admin paused the push queue")
		}
	})
}

func TestSignIn(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		ctx := context.Background()
		m := member(t, in, "boss", model.RoleAdmin)
		b := newBrowser(t, in)
		b.get("/auth/sign_in")
		res := b.post("/auth/sign_in", url.Values{"email": {m.User.Email}, "password": {"wrong password!"}})
		if res.Status != http.StatusUnauthorized || !strings.Contains(string(res.Body), "Wrong e-mail address or password") {
			t.Errorf("wrong password = %d; want 401 with a message", res.Status)
		}
		// Forms without the token, or from another site, are refused.
		res = b.post("/auth/sign_in", url.Values{"email": {m.User.Email}, "password": {password}, "csrf_token": {"forged"}})
		if res.Status != http.StatusForbidden || b.cookie("tusk_session") != "" {
			t.Errorf("forged token = %d; want 403 and no session", res.Status)
		}
		res = b.post("/auth/sign_in", url.Values{"email": {m.User.Email}, "password": {password}}, "Sec-Fetch-Site", "cross-site")
		if res.Status != http.StatusForbidden {
			t.Errorf("cross-site POST = %d; want 403", res.Status)
		}
		// An off-site next is ignored.
		res = b.post("/auth/sign_in", url.Values{"email": {m.User.Email}, "password": {password}, "next": {"//evil.example/"}})
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/" {
			t.Errorf("sign in with off-site next = %d to %q; want 303 to /", res.Status, res.Header.Get("Location"))
		}
		id := b.cookie("tusk_session")
		if id == "" {
			t.Fatal("no session cookie")
		}
		if res := b.get("/admin/queues"); res.Status != http.StatusOK {
			t.Fatalf("admin GET = %d %s", res.Status, res.Body)
		}

		// An expired session is gone.
		sum := sha256.Sum256([]byte(id))
		past := time.Now().Add(-time.Minute)
		if err := in.Store.Writer().ExtendWebSession(ctx, hex.EncodeToString(sum[:]), past, past); err != nil {
			t.Fatal(err)
		}
		if res := b.get("/admin/queues"); res.Status != http.StatusSeeOther {
			t.Errorf("GET with an expired session = %d; want 303 to sign in", res.Status)
		}

		// Sign out ends the session server-side, not only in this browser.
		b.signIn(m)
		id = b.cookie("tusk_session")
		if res := b.post("/auth/sign_out", nil); res.Status != http.StatusSeeOther {
			t.Fatalf("sign out = %d %s", res.Status, res.Body)
		}
		replay := newBrowser(t, in)
		u, _ := url.Parse(in.URL)
		replay.client.Jar.SetCookies(u, []*http.Cookie{{Name: "tusk_session", Value: id}})
		if res := replay.get("/admin/queues"); res.Status != http.StatusSeeOther {
			t.Errorf("GET with a signed-out session id = %d; want 303", res.Status)
		}

		// Users who may not sign in are refused with the reason.
		m.User.Disabled = true
		if err := in.Store.Writer().UpdateUser(ctx, m.User); err != nil {
			t.Fatal(err)
		}
		res = newBrowser(t, in).signIn(m)
		if res.Status != http.StatusForbidden || !strings.Contains(string(res.Body), "disabled") {
			t.Errorf("disabled user sign-in = %d; want 403 saying so", res.Status)
		}
	})
}

func TestQueuePageActions(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		m := member(t, in, "boss", model.RoleAdmin)
		startJobs(t, in)
		enqueue(t, in, undecodable{1}, &river.InsertOpts{Queue: jobs.Push})
		waitFor(t, "a dead job", func() bool { return queueStats(t, in, jobs.Push).Dead == 1 })
		b := newBrowser(t, in)
		b.signIn(m)

		page := b.get("/admin/queues")
		body := string(page.Body)
		for _, want := range []string{`<tr id="queue-push">`, `<td class="dead">1</td>`, "undecodable payload",
			`action="/admin/queues/push/clear-dead"`, "Mail is not configured", "<svg"} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
		}

		// Without the token, nothing happens.
		if res := b.post("/admin/queues/push/pause", url.Values{"csrf_token": {""}}); res.Status != http.StatusForbidden {
			t.Errorf("POST without token = %d; want 403", res.Status)
		}
		if res := b.post("/admin/queues/push/pause", nil, "Origin", "https://evil.example"); res.Status != http.StatusForbidden {
			t.Errorf("cross-origin POST = %d; want 403", res.Status)
		}
		if queueStats(t, in, jobs.Push).Paused {
			t.Fatal("a refused form paused the queue")
		}

		res := b.post("/admin/queues/push/pause", nil)
		if res.Status != http.StatusSeeOther || !queueStats(t, in, jobs.Push).Paused {
			t.Fatalf("pause form = %d; paused %v", res.Status, queueStats(t, in, jobs.Push).Paused)
		}
		if page := b.get(res.Header.Get("Location")); !strings.Contains(string(page.Body), "Paused push") {
			t.Errorf("page after pause lacks the notice")
		}
		b.post("/admin/queues/push/resume", nil)
		dead := jobsIn(t, in, jobs.Push, jobs.StateDead)
		b.post("/admin/queues/jobs/"+itoa(dead[0].ID)+"/retry", nil)
		waitFor(t, "the second attempt", func() bool {
			d := jobsIn(t, in, jobs.Push, jobs.StateDead)
			return len(d) == 1 && len(d[0].Errors) == 2
		})
		b.post("/admin/queues/push/clear-dead", nil)
		if st := queueStats(t, in, jobs.Push); st.Dead != 0 || st.Paused {
			t.Errorf("push after resume and clear-dead = %+v", st)
		}
		res = b.post("/admin/queues/jobs/"+itoa(dead[0].ID)+"/delete", nil)
		if loc := res.Header.Get("Location"); !strings.Contains(loc, "error=no-job") {
			t.Errorf("deleting a cleared job redirected to %q; want the no-job alert", loc)
		}
		if res := b.post("/admin/queues/nope/pause", nil); res.Status != http.StatusNotFound {
			t.Errorf("unknown queue = %d; want 404", res.Status)
		}
	})
}

func TestQueuePageChart(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		ctx := context.Background()
		m := member(t, in, "boss", model.RoleAdmin)
		for range 4 {
			enqueue(t, in, console.SampleArgs{}, &river.InsertOpts{Queue: jobs.Ingress})
		}
		now := time.Now()
		for i := 3; i >= 0; i-- {
			if err := in.Console.Sample(ctx, now.Add(-time.Duration(i)*10*time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		b := newBrowser(t, in)
		b.signIn(m)
		body := string(b.get("/admin/queues").Body)
		i := strings.Index(body, `data-queue="ingress"`)
		if i < 0 {
			t.Fatal("no chart for ingress")
		}
		chart := body[i:]
		chart = chart[:strings.Index(chart, "</svg>")]
		if !strings.Contains(chart, `<polyline class="depth" points="`) {
			t.Errorf("ingress depth chart has no line:\n%s", chart)
		}
		if strings.Contains(chart, "no samples yet") {
			t.Error("ingress chart says it has no samples")
		}
	})
}
