package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/delivery"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

func TestFederationCommands(t *testing.T) {
	t.Parallel()
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		ctx := context.Background()
		var out bytes.Buffer
		d := FederationDeps{Delivery: &delivery.Service{Store: st}, Out: &out}
		err := st.Tx(ctx, func(q store.Q) error {
			_, err := delivery.Enqueue(ctx, q, delivery.Delivery{ActivityID: "https://tusk.test/a/1", Inbox: "https://busy.example/inbox", Body: []byte("{}")},
				delivery.Delivery{ActivityID: "https://tusk.test/a/2", Inbox: "https://busy.example/inbox", Body: []byte("{}")},
				delivery.Delivery{ActivityID: "https://tusk.test/a/1", Inbox: "https://quiet.example/inbox", Body: []byte("{}")})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for range 2 { // idempotent
			out.Reset()
			if err := Federation(ctx, d, []string{"host", "QUIET.example", "--suspend-delivery"}); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), "suspended") {
				t.Errorf("host --suspend-delivery printed %q; want the suspended state", out.String())
			}
		}
		out.Reset()
		if err := Federation(ctx, d, []string{"hosts", "--json"}); err != nil {
			t.Fatal(err)
		}
		var hosts []delivery.HostJSON
		if err := json.Unmarshal(out.Bytes(), &hosts); err != nil {
			t.Fatalf("hosts --json: %v\n%s", err, out.String())
		}
		if len(hosts) != 2 || hosts[0].Host != "busy.example" || hosts[0].Queued != 2 || hosts[1].State != delivery.StateSuspended {
			t.Errorf("hosts --json = %+v; want busy.example (2 queued) first, then quiet.example suspended", hosts)
		}
		out.Reset()
		if err := Federation(ctx, d, []string{"hosts", "--state", "suspended"}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "quiet.example") || strings.Contains(out.String(), "busy.example") {
			t.Errorf("hosts --state suspended printed:\n%s\nwant quiet.example only", out.String())
		}
		for _, args := range [][]string{
			{"hosts", "--state", "sideways"},
			{"host", "never.example", "--reset"},
			{"host", "a b"},
			{"host", "busy.example", "--reset", "--suspend-delivery"},
			{"host"},
			{"frobnicate"},
		} {
			if err := Federation(ctx, d, args); err == nil {
				t.Errorf("federation %q succeeded; want an error", args)
			}
		}
	})
}
