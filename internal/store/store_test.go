package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

func mustAccount(t *testing.T, s *store.Store, username, domain string) *model.Account {
	t.Helper()
	a := &model.Account{Username: username, Domain: domain}
	if err := s.Tx(context.Background(), func(q store.Q) error { return q.InsertAccount(context.Background(), a) }); err != nil {
		t.Fatalf("InsertAccount(%s): %v", username, err)
	}
	return a
}

func mustStatus(t *testing.T, s *store.Store, n store.NewStatus) *model.Status {
	t.Helper()
	if err := s.Tx(context.Background(), func(q store.Q) error { return q.InsertStatus(context.Background(), n) }); err != nil {
		t.Fatalf("InsertStatus: %v", err)
	}
	return n.Status
}

func TestMigrateIsIdempotent(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		n, err := s.Migrate(context.Background())
		if err != nil || n != 0 {
			t.Fatalf("second Migrate() = %d, %v; want 0, nil", n, err)
		}
		v, err := s.AppliedVersion(context.Background())
		if err != nil || v != s.SchemaVersion() {
			t.Errorf("AppliedVersion() = %d, %v; want %d", v, err, s.SchemaVersion())
		}
	})
}

func TestAccountHandleIsUniqueCaseInsensitively(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		mustAccount(t, s, "Alice", "")
		err := s.Tx(ctx, func(q store.Q) error { return q.InsertAccount(ctx, &model.Account{Username: "alice"}) })
		if !errors.Is(err, store.ErrConflict) {
			t.Fatalf("second alice: err = %v; want ErrConflict", err)
		}
		mustAccount(t, s, "alice", "remote.example") // another domain is another account
		got, err := s.AccountByHandle(ctx, "ALICE", "")
		if err != nil || got.Username != "Alice" {
			t.Fatalf("AccountByHandle(ALICE) = %+v, %v", got, err)
		}
		if _, err := s.AccountByHandle(ctx, "bob", ""); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("AccountByHandle(bob) err = %v; want ErrNotFound", err)
		}
	})
}

func TestStatusLifecycleKeepsCounters(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob := mustAccount(t, s, "alice", ""), mustAccount(t, s, "bob", "")
		root := mustStatus(t, s, store.NewStatus{
			Status:     &model.Status{URI: "u1", AccountID: alice.ID, Content: "<p>hello #Go</p>", Visibility: model.Public, Local: true},
			MentionIDs: []int64{bob.ID}, Tags: []string{"go"}, SearchText: "hello #Go world",
		})
		reply := mustStatus(t, s, store.NewStatus{Status: &model.Status{URI: "u2", AccountID: bob.ID, InReplyToID: &root.ID,
			InReplyToAccountID: &alice.ID, Visibility: model.Public, Local: true}})
		boost := mustStatus(t, s, store.NewStatus{Status: &model.Status{URI: "u3", AccountID: bob.ID, ReblogOfID: &root.ID, Visibility: model.Public, Local: true}})
		got, err := s.StatusByID(ctx, root.ID)
		if err != nil || got.RepliesCount != 1 || got.ReblogsCount != 1 {
			t.Fatalf("root = %+v, %v; want 1 reply, 1 reblog", got, err)
		}
		found, err := s.SearchStatuses(ctx, 0, "WORLD", 0, 20, 0)
		if err != nil || len(found) != 1 || found[0].ID != root.ID {
			t.Fatalf("SearchStatuses(WORLD) = %v, %v; want the root", found, err)
		}
		if err := s.Tx(ctx, func(q store.Q) error { return q.DeleteStatus(ctx, root) }); err != nil {
			t.Fatal(err)
		}
		if _, err := s.StatusByID(ctx, boost.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("boost survives its original: err = %v", err)
		}
		if _, err := s.StatusByID(ctx, reply.ID); err != nil {
			t.Errorf("reply should outlive its parent: %v", err)
		}
		if found, _ := s.SearchStatuses(ctx, 0, "world", 0, 20, 0); len(found) != 0 {
			t.Errorf("deleted status still found by search: %v", found)
		}
		a, _ := s.AccountByID(ctx, alice.ID)
		b, _ := s.AccountByID(ctx, bob.ID)
		if a.StatusesCount != 0 || b.StatusesCount != 1 {
			t.Errorf("statuses_count alice=%d bob=%d; want 0, 1", a.StatusesCount, b.StatusesCount)
		}
	})
}

func TestPaginationWindows(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice := mustAccount(t, s, "alice", "")
		var ids []int64
		for i := 0; i < 5; i++ {
			st := mustStatus(t, s, store.NewStatus{Status: &model.Status{URI: "p" + string(rune('a'+i)), AccountID: alice.ID, Visibility: model.Public, Local: true}})
			ids = append(ids, st.ID)
		}
		for _, tc := range []struct {
			name string
			page store.Page
			want []int64
		}{
			{"newest", store.Page{Limit: 2}, []int64{ids[4], ids[3]}},
			{"max_id", store.Page{MaxID: ids[3], Limit: 2}, []int64{ids[2], ids[1]}},
			{"since_id", store.Page{SinceID: ids[1], Limit: 2}, []int64{ids[4], ids[3]}},
			{"min_id", store.Page{MinID: ids[1], Limit: 2}, []int64{ids[3], ids[2]}},
		} {
			got, err := s.PublicTimeline(ctx, store.Scope{}, tc.page)
			if err != nil {
				t.Fatal(err)
			}
			var gotIDs []int64
			for _, st := range got {
				gotIDs = append(gotIDs, st.ID)
			}
			if len(gotIDs) != len(tc.want) || gotIDs[0] != tc.want[0] || gotIDs[1] != tc.want[1] {
				t.Errorf("%s: ids = %v; want %v", tc.name, gotIDs, tc.want)
			}
		}
	})
}
