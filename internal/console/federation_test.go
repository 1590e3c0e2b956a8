package console_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/delivery"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

// queueDeliveries puts n deliveries to host in the queue, as fan-out would.
func queueDeliveries(t *testing.T, in *servertest.Instance, host string, n int) {
	t.Helper()
	ctx := context.Background()
	var ds []delivery.Delivery
	for i := range n {
		ds = append(ds, delivery.Delivery{ActivityID: "https://tusk.test/a/" + itoa(int64(i)), Inbox: "https://" + host + "/inbox", Body: []byte("{}")})
	}
	if err := in.Store.Tx(ctx, func(q store.Q) error { _, err := delivery.Enqueue(ctx, q, ds...); return err }); err != nil {
		t.Fatal(err)
	}
}

func TestFederationAPI(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		admin := member(t, in, "boss", model.RoleAdmin)
		plain := member(t, in, "plain", "")
		readOnly := in.Token(t, &admin.User.ID, "read", "admin:read")
		queueDeliveries(t, in, "small.example", 1)
		queueDeliveries(t, in, "big.example", 3)
		const base = "/api/v1/admin/tusk/federation"
		for _, tt := range []struct {
			name, token, method, path string
			want                      int
		}{
			{"anonymous", "", "GET", base + "/hosts", http.StatusUnauthorized},
			{"member", plain.Token, "GET", base + "/hosts", http.StatusForbidden},
			{"admin:read cannot act", readOnly, "POST", base + "/hosts/big.example/reset", http.StatusForbidden},
			{"unknown host", admin.Token, "GET", base + "/hosts/never.example", http.StatusNotFound},
			{"reset unknown host", admin.Token, "POST", base + "/hosts/never.example/reset", http.StatusNotFound},
			{"unknown action", admin.Token, "POST", base + "/hosts/big.example/explode", http.StatusNotFound},
			{"bad host", admin.Token, "POST", base + "/hosts/a%20b/suspend-delivery", http.StatusUnprocessableEntity},
			{"bad state", admin.Token, "GET", base + "/hosts?state=sideways", http.StatusUnprocessableEntity},
			{"bad sort", admin.Token, "GET", base + "/hosts?sort=colour", http.StatusUnprocessableEntity},
			{"bad hours", admin.Token, "GET", base + "/history?hours=99", http.StatusBadRequest},
			{"history", readOnly, "GET", base + "/history", http.StatusOK},
		} {
			res := in.Do(t, tt.token, tt.method, tt.path, nil)
			if res.Status != tt.want {
				t.Errorf("%s: %s %s = %d %s; want %d", tt.name, tt.method, tt.path, res.Status, res.Body, tt.want)
			}
			if res.Status >= 400 && !strings.Contains(string(res.Body), `"error"`) {
				t.Errorf("%s: error body %s has no error field", tt.name, res.Body)
			}
		}
		var hosts []delivery.HostJSON
		res := in.Do(t, readOnly, "GET", base+"/hosts", nil)
		if err := json.Unmarshal(res.Body, &hosts); err != nil || len(hosts) != 2 || hosts[0].Host != "big.example" || hosts[0].Queued != 3 {
			t.Fatalf("GET hosts = %s (%v); want big.example with 3 queued first", res.Body, err)
		}
		for range 2 { // idempotent
			res = in.Do(t, admin.Token, "POST", base+"/hosts/Big.Example/suspend-delivery", nil)
			var h delivery.HostJSON
			if err := json.Unmarshal(res.Body, &h); err != nil || res.Status != http.StatusOK || !h.Suspended || h.State != delivery.StateSuspended {
				t.Errorf("suspend = %d %s; want the host, suspended", res.Status, res.Body)
			}
		}
		res = in.Do(t, readOnly, "GET", base+"/hosts?state=suspended", nil)
		if err := json.Unmarshal(res.Body, &hosts); err != nil || len(hosts) != 1 || hosts[0].Host != "big.example" {
			t.Errorf("GET hosts?state=suspended = %s; want big.example only", res.Body)
		}
		for _, action := range []string{"resume-delivery", "resume-delivery", "reset", "reset"} {
			if res := in.Do(t, admin.Token, "POST", base+"/hosts/big.example/"+action, nil); res.Status != http.StatusOK {
				t.Errorf("%s = %d %s; want 200", action, res.Status, res.Body)
			}
		}
	})
}

func TestFederationPage(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		ctx := context.Background()
		queueDeliveries(t, in, "busy.example", 4)
		if err := in.Store.Writer().AddDeliverySample(ctx, store.DeliverySample{Minute: time.Now().Add(-time.Hour), Delivered: 30, Failed: 2, Backlog: 12}); err != nil {
			t.Fatal(err)
		}
		anon := newBrowser(t, in)
		if res := anon.get("/admin/federation"); res.Status != http.StatusSeeOther {
			t.Errorf("anonymous GET = %d; want 303 to sign in", res.Status)
		}
		plain := newBrowser(t, in)
		plain.signIn(member(t, in, "plain", ""))
		if res := plain.get("/admin/federation"); res.Status != http.StatusForbidden {
			t.Errorf("member GET = %d; want 403", res.Status)
		}
		b := newBrowser(t, in)
		b.signIn(member(t, in, "boss", model.RoleAdmin))
		res := b.get("/admin/federation")
		page := string(res.Body)
		if res.Status != http.StatusOK || !strings.Contains(page, `id="host-busy.example"`) || !strings.Contains(page, `<td class="queued">4</td>`) {
			t.Fatalf("GET /admin/federation = %d; want the host with 4 queued:\n%s", res.Status, page)
		}
		if !strings.Contains(page, "Deliveries per minute") || !strings.Contains(page, "<polyline") && !strings.Contains(page, "<circle") {
			t.Errorf("page has no outcome chart with the sample:\n%s", page)
		}
		for range 2 {
			res = b.post("/admin/federation/hosts/busy.example/suspend-delivery", nil)
			if res.Status != http.StatusSeeOther {
				t.Fatalf("POST suspend = %d %s; want 303", res.Status, res.Body)
			}
		}
		page = string(b.get(res.Header.Get("Location")).Body)
		if !strings.Contains(page, "Suspended delivery to busy.example") || !strings.Contains(page, "Resume delivery") {
			t.Errorf("after suspending, the page says:\n%s", page)
		}
		if res := b.post("/admin/federation/hosts/never.example/reset", nil); res.Header.Get("Location") != "/admin/federation?error=no-host" {
			t.Errorf("reset of an unknown host redirects to %q; want the no-host alert", res.Header.Get("Location"))
		}
		if res := b.post("/admin/federation/hosts/busy.example/reset", nil, "Origin", "https://evil.example"); res.Status != http.StatusForbidden {
			t.Errorf("cross-site POST = %d; want 403", res.Status)
		}
	})
}
