package metrics_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/delivery"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// TestDeliveryMetrics delivers to a healthy inbox, a gone one and a dead one, plus one
// host marked unavailable, and reads the outcomes and queues by host state back.
func TestDeliveryMetrics(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ok, gone := answering(t, http.StatusAccepted), answering(t, http.StatusGone)
			dead := deadAddress(t)
			in := servertest.Start(t, engine, func(c *config.Config) {
				c.Admin.MetricsToken = token
				c.Network.AllowedPrivate = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
			})
			ctx := context.Background()
			storetest.MarkHostUnavailable(t, in.Store, "unavailable.test")
			queue(t, in.Store, "https://unavailable.test/inbox", ok+"/inbox", gone+"/inbox", "http://"+dead+"/inbox")
			body := string(scrape(t, in, "Authorization", "Bearer "+token).Body)
			for _, want := range []string{`tusk_deliveries_queued{host_state="closed"} 3`, `tusk_delivery_hosts{host_state="unavailable"} 1`,
				`tusk_deliveries_skipped_total{host_state="unavailable"} 1`, `tusk_delivery_stats_up 1`} {
				if !strings.Contains(body, want) {
					t.Errorf("before delivery, metrics lack %q:\n%s", want, grep(body, "deliver"))
				}
			}
			if err := in.StartJobs(ctx); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { in.StopJobs(5 * time.Second) })
			want := []string{`tusk_deliveries_total{host_state="closed",outcome="delivered"} 1`,
				`tusk_deliveries_total{host_state="closed",outcome="gave_up"} 1`,
				`tusk_deliveries_total{host_state="closed",outcome="failed"} 1`,
				`tusk_deliveries_queued{host_state="closed"} 1`}
			deadline := time.Now().Add(20 * time.Second)
			for missing := want; len(missing) > 0; {
				if time.Now().After(deadline) {
					t.Fatalf("metrics lack %q:\n%s", missing, grep(body, "deliver"))
				}
				time.Sleep(100 * time.Millisecond)
				body = string(scrape(t, in, "Authorization", "Bearer "+token).Body)
				missing = missing[:0:0]
				for _, w := range want {
					if !strings.Contains(body, w) {
						missing = append(missing, w)
					}
				}
			}
		})
	}
}

func answering(t *testing.T, status int) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(status) }))
	t.Cleanup(srv.Close)
	return srv.URL
}

// deadAddress is a loopback address nobody listens on: connections are refused.
func deadAddress(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// queue queues one activity of the instance actor to each inbox, as federation does.
func queue(t *testing.T, st *store.Store, inboxes ...string) {
	t.Helper()
	ctx := context.Background()
	var ds []delivery.Delivery
	for _, inbox := range inboxes {
		ds = append(ds, delivery.Delivery{ActivityID: "https://tusk.test/actor#flags/1", Inbox: inbox,
			Body: []byte(`{"id":"https://tusk.test/actor#flags/1","type":"Flag"}`)})
	}
	if err := st.Tx(ctx, func(q store.Q) error {
		_, err := delivery.Enqueue(ctx, q, ds...)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}
