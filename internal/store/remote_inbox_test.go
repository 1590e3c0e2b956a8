package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

func TestRememberActivitiesReportsOnlyNewIDs(t *testing.T) {
	t.Parallel()
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx, now := context.Background(), time.Now()
		first, err := s.Writer().RememberActivities(ctx, []string{"https://a.example/1", "https://a.example/2"}, now)
		if err != nil || len(first) != 2 {
			t.Fatalf("first = %v, %v; want both new", first, err)
		}
		again, err := s.Writer().RememberActivities(ctx, []string{"https://a.example/2", "https://a.example/3", "https://a.example/3"}, now)
		if err != nil || len(again) != 1 || !again["https://a.example/3"] {
			t.Errorf("again = %v, %v; want only …/3 new", again, err)
		}
		if n, err := s.Writer().ForgetActivitiesBefore(ctx, now.Add(time.Second)); err != nil || n != 3 {
			t.Errorf("ForgetActivitiesBefore = %d, %v; want 3", n, err)
		}
	})
}
