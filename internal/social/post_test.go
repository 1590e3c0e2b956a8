package social_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

func newService(t *testing.T, s *store.Store) *social.Service {
	return &social.Service{Store: s, Config: config.Config{LocalDomain: "example.test", WebDomain: "example.test", MaxStatusChars: 500},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

func account(t *testing.T, s *store.Store, name string) *model.Account {
	t.Helper()
	a := &model.Account{Username: name}
	if err := s.Tx(context.Background(), func(q store.Q) error { return q.InsertAccount(context.Background(), a) }); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestConcurrentPostsDoNotDeadlock posts from several goroutines by authors with shared
// followers, whom each post notifies (a write per follower who asked to be told).
func TestConcurrentPostsDoNotDeadlock(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := newService(t, s)
		authors := []*model.Account{account(t, s, "author1"), account(t, s, "author2")}
		var followers []int64
		for i := 0; i < 24; i++ {
			f := account(t, s, fmt.Sprintf("follower%d", i))
			followers = append(followers, f.ID)
			for _, a := range authors {
				notify := true
				if _, err := svc.Follow(ctx, f, a.ID, social.FollowOptions{Notify: &notify}); err != nil {
					t.Fatal(err)
				}
			}
		}
		var wg sync.WaitGroup
		errs := make(chan error, 200)
		for g := 0; g < 6; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				for i := 0; i < 15; i++ {
					if _, err := svc.Post(ctx, authors[(g+i)%2], nil, social.PostParams{Text: fmt.Sprintf("post %d-%d", g, i)}); err != nil {
						errs <- err
					}
				}
			}(g)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("concurrent post failed: %v", err)
		}
	})
}
