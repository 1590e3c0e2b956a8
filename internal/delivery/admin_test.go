package delivery_test

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/delivery"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// TestUnavailableUntilSeenAlive: a host failing long enough is marked unavailable, its
// queue dropped and new deliveries skipped; MarkAlive (a signed request from it) lifts
// the mark, and delivery resumes.
func TestUnavailableUntilSeenAlive(t *testing.T) {
	t.Parallel()
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		ctx := context.Background()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		p := fastPolicy()
		p.UnavailableAfter, p.UnavailableCoolOffs = time.Millisecond, 1
		svc := &delivery.Service{Store: st, Send: sender(t, time.Second), Policy: p}
		enqueue(t, st, 0, 5, "http://"+addr+"/inbox")
		run(t, svc)
		eventually(t, "the host is unavailable", func() bool { return host(t, svc, addr).State == delivery.StateUnavailable })
		if h := host(t, svc, addr); h.Queued != 0 || h.GaveUp != 5 {
			t.Errorf("unavailable host: queued %d, gave up %d; want 0, 5", h.Queued, h.GaveUp)
		}
		if res := enqueue(t, st, 5, 7, "http://"+addr+"/inbox"); res.Skipped != 2 || res.Queued != 0 {
			t.Errorf("enqueue to an unavailable host: %+v; want 2 skipped", res)
		}
		if list, err := svc.Hosts(ctx, delivery.Filter{State: delivery.StateUnavailable}); err != nil || len(list) != 1 || list[0].Skipped != 2 {
			t.Errorf("Hosts(unavailable) = %+v, %v; want the host, 2 skipped", list, err)
		}
		ln2, err := net.Listen("tcp", addr)
		if err != nil {
			t.Skipf("cannot listen on %s again: %v", addr, err)
		}
		in := serveInbox(t, ln2, signingKey(t))
		for _, name := range []string{addr, "http://" + addr + "/users/someone"} { // idempotent; host or actor URL
			if err := svc.MarkAlive(ctx, name); err != nil {
				t.Fatal(err)
			}
		}
		if h := host(t, svc, addr); h.Unavailable {
			t.Fatal("still unavailable after MarkAlive")
		}
		if res := enqueue(t, st, 7, 9, "http://"+addr+"/inbox"); res.Queued != 2 {
			t.Errorf("enqueue after MarkAlive: %+v; want 2 queued", res)
		}
		eventually(t, "the host gets the new deliveries", func() bool { return in.count() == 2 })
		eventually(t, "the host is healthy", func() bool { return host(t, svc, addr).State == delivery.StateHealthy })
	})
}

// TestAdminActions: suspend, resume and reset are idempotent, a suspended host is not
// delivered to, and bad names are refused.
func TestAdminActions(t *testing.T) {
	t.Parallel()
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		ctx := context.Background()
		in := newInbox(t, signingKey(t))
		svc := &delivery.Service{Store: st, Send: sender(t, time.Second), Policy: fastPolicy()}
		for range 2 {
			if err := svc.SuspendDelivery(ctx, in.Host()); err != nil {
				t.Fatal(err)
			}
		}
		enqueue(t, st, 0, 3, in.URL())
		run(t, svc)
		time.Sleep(100 * time.Millisecond) // ten polls: a suspended host must see none of them
		if n := in.count(); n != 0 {
			t.Fatalf("a suspended host got %d deliveries; want 0", n)
		}
		if h := host(t, svc, in.Host()); h.State != delivery.StateSuspended || h.Queued != 3 {
			t.Errorf("suspended host: %s, queued %d; want suspended, 3", h.State, h.Queued)
		}
		for range 2 {
			if err := svc.ResumeDelivery(ctx, in.Host()); err != nil {
				t.Fatal(err)
			}
		}
		eventually(t, "the resumed host gets its deliveries", func() bool { return in.count() == 3 })
		for range 2 {
			if err := svc.Reset(ctx, in.Host()); err != nil {
				t.Fatal(err)
			}
		}
		if err := svc.Reset(ctx, "never.example"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Reset(unknown host) = %v; want ErrNotFound", err)
		}
		for _, bad := range []string{"", "a b", "https://x.example/path", "user@x.example"} {
			if err := svc.SuspendDelivery(ctx, bad); !errors.Is(err, delivery.ErrBadDelivery) {
				t.Errorf("SuspendDelivery(%q) = %v; want ErrBadDelivery", bad, err)
			}
		}
		if _, err := svc.Hosts(ctx, delivery.Filter{State: "sideways"}); !errors.Is(err, delivery.ErrUnknownState) {
			t.Errorf("Hosts(state sideways) = %v; want ErrUnknownState", err)
		}
	})
}

// TestSeveralWorkers: two services on one database (as two worker processes) deliver
// every activity exactly once between them.
func TestSeveralWorkers(t *testing.T) {
	t.Parallel()
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		var inboxes []*inbox
		var urls []string
		for range 4 {
			in := newInbox(t, signingKey(t))
			inboxes = append(inboxes, in)
			urls = append(urls, in.URL())
		}
		enqueue(t, st, 0, 50, urls...)
		for range 2 {
			run(t, &delivery.Service{Store: st, Send: sender(t, 5*time.Second), Policy: fastPolicy()})
		}
		for _, in := range inboxes {
			eventually(t, in.Host()+" has all 50", func() bool { return in.count() >= 50 })
		}
		time.Sleep(50 * time.Millisecond)
		for _, in := range inboxes {
			if n := in.count(); n != 50 {
				t.Errorf("%s got %d deliveries of 50 activities; want each once", in.Host(), n)
			}
		}
	})
}
