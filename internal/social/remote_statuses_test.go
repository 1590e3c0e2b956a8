package social_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

func remoteAccount(t *testing.T, s *store.Store, name string) *model.Account {
	t.Helper()
	a := &model.Account{Username: name, Domain: "remote.example", URI: "https://remote.example/users/" + name}
	if err := s.Tx(context.Background(), func(q store.Q) error { return q.InsertAccount(context.Background(), a) }); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestReceiveStatusesBatch: a batch stores each status once even when it names one
// twice, counts them once, and refuses the whole batch when one status reuses
// another author's id.
func TestReceiveStatusesBatch(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := newService(t, s)
		alice, mallory := remoteAccount(t, s, "alice"), remoteAccount(t, s, "mallory")
		note := func(author *model.Account, uri string) social.RemoteStatus {
			return social.RemoteStatus{URI: uri, Author: author, Content: "<p>hi</p>", Visibility: model.Public,
				Tags: []string{"go"}, Published: time.Now().Add(-time.Minute)}
		}
		a1, a2 := note(alice, "https://remote.example/notes/1"), note(alice, "https://remote.example/notes/2")
		if err := svc.ReceiveStatuses(ctx, []social.RemoteStatus{a1, a2, a1}); err != nil {
			t.Fatalf("ReceiveStatuses: %v", err)
		}
		if err := svc.ReceiveStatuses(ctx, []social.RemoteStatus{a2}); err != nil {
			t.Fatalf("ReceiveStatuses of a known status: %v", err)
		}
		got, _ := s.AccountByID(ctx, alice.ID)
		if got.StatusesCount != 2 {
			t.Errorf("alice's statuses_count = %d; want 2", got.StatusesCount)
		}
		stolen := note(mallory, a1.URI)
		err := svc.ReceiveStatuses(ctx, []social.RemoteStatus{note(mallory, "https://remote.example/notes/3"), stolen})
		if !errors.Is(err, social.ErrForeignObject) {
			t.Fatalf("a batch reusing alice's id: err = %v; want ErrForeignObject", err)
		}
		if _, err := s.StatusByURI(ctx, "https://remote.example/notes/3"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the refused batch left a status behind: %v", err)
		}
		if m, _ := s.AccountByID(ctx, mallory.ID); m.StatusesCount != 0 {
			t.Errorf("mallory's statuses_count = %d; want 0", m.StatusesCount)
		}
	})
}
