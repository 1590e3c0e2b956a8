package admin

import (
	"bytes"
	"context"
	"net/netip"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/fedtest"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

// TestAccountsRefresh changes a remote profile on a fake server and refreshes it through
// the instance's real federation service.
func TestAccountsRefresh(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			in := servertest.Start(t, engine, func(c *config.Config) {
				c.Network.AllowedPrivate = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
			})
			ctx := context.Background()
			remote := fedtest.NewRemote(t)
			alice, bob := remote.Actor("alice"), remote.NewActor(t, "bob")
			for _, a := range []*fedtest.Actor{alice, bob} {
				if _, err := in.Federation.FetchActor(ctx, a.ID); err != nil {
					t.Fatal(err)
				}
			}
			alice.Doc["name"] = "Alice Renamed"
			remote.Publish(alice)
			out := &bytes.Buffer{}
			d := Deps{Store: in.Store, Refresher: in.Federation, Out: out}
			if err := Accounts(ctx, d, []string{"refresh", "alice@" + remote.Host}); err != nil {
				t.Fatalf("refresh alice: %v\n%s", err, out)
			}
			a, err := in.Store.AccountByURI(ctx, alice.ID)
			if err != nil || a.DisplayName != "Alice Renamed" {
				t.Errorf("after refresh: %+v, %v; want the new name", a, err)
			}
			remote.Remove("/users/bob") // bob's server forgets him: reported, the rest goes on
			out.Reset()
			if err := Accounts(ctx, d, []string{"refresh", "--domain", remote.Host, "--concurrency", "2"}); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), "Refreshed 1 accounts, 1 failed") || !strings.Contains(out.String(), "failed "+bob.ID) {
				t.Errorf("refresh --domain = %q", out)
			}
			for _, args := range [][]string{{"refresh"}, {"refresh", "--all", "--domain", "x.example"}, {"refresh", "nobody@nowhere.example"}, {"refresh", "localname"}} {
				if err := Accounts(ctx, d, args); err == nil {
					t.Errorf("%v succeeded", args)
				}
			}
		})
	}
}
