package delivery_test

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/fedtest"
	"github.com/tuskhq/tusk/internal/httpsig"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// TestSignedInboundRequestClearsUnavailable: a host marked unavailable is seen alive
// when a validly signed delivery arrives from one of its actors; a badly signed one
// changes nothing.
func TestSignedInboundRequestClearsUnavailable(t *testing.T) {
	t.Parallel()
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			in := servertest.Start(t, engine, func(c *config.Config) {
				c.Network.AllowedPrivate = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
			})
			remote := fedtest.NewRemote(t)
			alice := remote.Actor("alice")
			storetest.MarkHostUnavailable(t, in.Store, remote.Host)
			note := alice.Note("/notes/1", "<p>hello</p>")
			forged, err := httpsig.GenerateRSAKey()
			if err != nil {
				t.Fatal(err)
			}
			if resp := alice.PostWith(t, in.URL+"/inbox", alice.Activity("Create", "/notes/1/activity", note), alice.KeyID, forged, time.Now()); resp.Status != 401 {
				t.Fatalf("forged delivery: status %d; want 401", resp.Status)
			}
			if h, _ := in.Store.DeliveryHost(ctx, remote.Host); !h.Unavailable {
				t.Fatal("a badly signed request cleared the unavailable mark")
			}
			if resp := alice.Post(t, in.URL+"/inbox", alice.Activity("Create", "/notes/1/activity", note)); resp.Status != 202 {
				t.Fatalf("signed delivery: status %d %s; want 202", resp.Status, resp.Body)
			}
			if h, _ := in.Store.DeliveryHost(ctx, remote.Host); h.Unavailable {
				t.Error("the host is still unavailable after a validly signed request from it")
			}
		})
	}
}
