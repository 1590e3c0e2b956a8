package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

func TestWeeklyActivityBuckets(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		first := model.WeekOf(time.Now()).AddDate(0, 0, -14) // three weeks: 0, 1, 2 (this week)
		alice, far := mustAccount(t, s, "alice", ""), mustAccount(t, s, "far", "remote.example")
		at := func(week, hours int) time.Time {
			return first.AddDate(0, 0, 7*week).Add(time.Duration(hours) * time.Hour)
		}
		for i, p := range []struct {
			week, hours int
			local       bool
		}{{0, 0, true}, {0, 167, true}, {1, 5, true}, {1, 6, false}, {2, 1, true}, {-1, 10, true}} {
			author := alice.ID
			if !p.local {
				author = far.ID
			}
			mustStatus(t, s, store.NewStatus{Status: &model.Status{ID: id.Lower(at(p.week, p.hours)) + int64(i), URI: fmt.Sprint("s", i),
				AccountID: author, Visibility: model.Public, Local: p.local, CreatedAt: at(p.week, p.hours)}})
		}
		for i, week := range []int{0, 2, 2, -1} {
			a := mustAccount(t, s, fmt.Sprint("user", i), "")
			u := &model.User{AccountID: a.ID, Email: fmt.Sprint("u", i, "@example.com"), CreatedAt: at(week, 3)}
			if err := s.Writer().InsertUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			if err := s.Writer().RecordLogin(ctx, u.ID, model.WeekOf(at(week, 3))); err != nil {
				t.Fatal(err)
			}
			if err := s.Writer().RecordLogin(ctx, u.ID, model.WeekOf(at(week, 50))); err != nil { // same week: counted once
				t.Fatal(err)
			}
		}
		weeks, err := s.WeeklyActivity(ctx, first, 3)
		if err != nil {
			t.Fatal(err)
		}
		want := [][3]int64{{2, 1, 1}, {1, 0, 0}, {1, 2, 2}} // statuses, logins, registrations
		for i, w := range weeks {
			got := [3]int64{w.Statuses, w.Logins, w.Registrations}
			if got != want[i] || !w.Week.Equal(first.AddDate(0, 0, 7*i)) {
				t.Errorf("week %d (%s) = %v; want %v", i, w.Week, got, want[i])
			}
		}
	})
}

func TestDomainBlocksAndPeers(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		for _, d := range []string{"a.example", "b.example", "c.example"} {
			mustAccount(t, s, "x", d)
		}
		mustAccount(t, s, "y", "a.example")
		for _, b := range []model.DomainBlock{{Domain: "b.example", Severity: model.SeveritySuspend},
			{Domain: "z.example", Severity: model.SeveritySilence}, {Domain: "n.example", Severity: model.SeverityNoop}} {
			if err := s.Writer().ServerInsertDomainBlock(ctx, &b); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Writer().ServerInsertDomainBlock(ctx, &model.DomainBlock{Domain: "b.example", Severity: model.SeveritySilence}); !errors.Is(err, store.ErrConflict) {
			t.Errorf("second block of b.example: %v; want ErrConflict", err)
		}
		peers, err := s.Peers(ctx)
		if err != nil || fmt.Sprint(peers) != "[a.example c.example]" {
			t.Errorf("Peers = %v, %v", peers, err)
		}
		shown, _ := s.ServerDomainBlocks(ctx, false)
		all, _ := s.ServerDomainBlocks(ctx, true)
		if len(shown) != 2 || shown[0].Domain != "z.example" || len(all) != 3 || all[0].Domain != "n.example" {
			t.Errorf("blocks = %d shown (first %s), %d in all (first %s)", len(shown), shown[0].Domain, len(all), all[0].Domain)
		}
		if err := s.Writer().ServerDeleteDomainBlock(ctx, "q.example"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("lifting a missing block: %v; want ErrNotFound", err)
		}
	})
}
