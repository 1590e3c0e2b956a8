package social

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"

	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// The trends scoring (docs/decisions.md, "Trends"): recent use, each use weighed by
// how recent it is, halving every half-life.
const (
	trendWindow        = 48 * time.Hour     // uses and interactions older than this no longer count
	tagHalfLife        = 12 * time.Hour     // a tag use counts half after this long
	statusHalfLife     = 6 * time.Hour      // a favourite or boost counts half after this long
	trendStatusMaxAge  = 7 * 24 * time.Hour // older statuses do not trend, however liked
	minTagAccounts     = 2                  // distinct authors a tag needs in the window
	minInteractions    = 2                  // distinct accounts that must favourite or boost a status
	boostWeight        = 2.0                // a boost shows the status to a new audience
	favouriteWeight    = 1.0
	maxTrendsPerKind   = 100
	trendsRefreshEvery = 5 * time.Minute
)

// decay is the weight of something that happened at `at`, seen at now.
func decay(now, at time.Time, halfLife time.Duration) float64 {
	age := max(now.Sub(at), 0)
	return math.Exp2(-float64(age) / float64(halfLife))
}

// RefreshTrends recomputes the trending tags and statuses from the last trendWindow, and
// forgets the reviews of deleted statuses.
func (s *Service) RefreshTrends(ctx context.Context, now time.Time) error {
	since := id.Lower(now.Add(-trendWindow))
	uses, err := s.Store.RecentTagUses(ctx, since)
	if err != nil {
		return err
	}
	interactions, err := s.Store.RecentInteractions(ctx, since, id.Lower(now.Add(-trendStatusMaxAge)))
	if err != nil {
		return err
	}
	tags, statuses := tagScores(now, uses), statusScores(now, interactions)
	return s.Store.Tx(ctx, func(q store.Q) error {
		if err := q.ReplaceTrends(ctx, model.TrendTag, tags, now); err != nil {
			return err
		}
		if err := q.ReplaceTrends(ctx, model.TrendStatus, statuses, now); err != nil {
			return err
		}
		return q.PruneTrendReviews(ctx)
	})
}

// tagScores sums, per tag, one decayed weight per distinct author (their latest use), so
// one account repeating a tag cannot make it trend.
func tagScores(now time.Time, uses []store.TagUse) map[int64]float64 {
	scores, authors := map[int64]float64{}, map[int64]int{}
	for _, u := range uses {
		scores[u.TagID] += decay(now, id.Time(u.LastStatusID), tagHalfLife)
		authors[u.TagID]++
	}
	for tag, n := range authors {
		if n < minTagAccounts {
			delete(scores, tag)
		}
	}
	return topScores(scores)
}

// statusScores sums, per status, each favourite's and boost's decayed weight; a status
// needs interactions from minInteractions distinct accounts.
func statusScores(now time.Time, interactions []store.Interaction) map[int64]float64 {
	scores, accounts := map[int64]float64{}, map[int64]map[int64]bool{}
	for _, in := range interactions {
		w := favouriteWeight
		if in.Boost {
			w = boostWeight
		}
		scores[in.StatusID] += w * decay(now, id.Time(in.AtID), statusHalfLife)
		if accounts[in.StatusID] == nil {
			accounts[in.StatusID] = map[int64]bool{}
		}
		accounts[in.StatusID][in.AccountID] = true
	}
	for st, who := range accounts {
		if len(who) < minInteractions {
			delete(scores, st)
		}
	}
	return topScores(scores)
}

// topScores keeps the maxTrendsPerKind highest scores.
func topScores(scores map[int64]float64) map[int64]float64 {
	if len(scores) <= maxTrendsPerKind {
		return scores
	}
	keys := make([]int64, 0, len(scores))
	for k := range scores {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b int64) int {
		if scores[a] != scores[b] {
			return cmp.Compare(scores[b], scores[a])
		}
		return cmp.Compare(b, a)
	})
	out := make(map[int64]float64, maxTrendsPerKind)
	for _, k := range keys[:maxTrendsPerKind] {
		out[k] = scores[k]
	}
	return out
}

// TrendingTags lists the trending hashtags with their week of use.
func (s *Service) TrendingTags(ctx context.Context, viewer *model.Account, limit, offset int) ([]*TagView, error) {
	tags, err := s.Store.TrendingTags(ctx, s.Config.Discovery.TrendsRequireReview, limit, offset)
	if err != nil {
		return nil, err
	}
	return s.TagViews(ctx, viewer, tags)
}

// TrendingStatuses lists the trending statuses.
func (s *Service) TrendingStatuses(ctx context.Context, viewer *model.Account, limit, offset int) ([]*StatusView, error) {
	list, err := s.Store.TrendingStatuses(ctx, s.Config.Discovery.TrendsRequireReview, limit, offset)
	if err != nil {
		return nil, err
	}
	return s.Views(ctx, viewer, list)
}

// Trends lists kind's scored targets for admins, reviewed or not.
func (s *Service) Trends(ctx context.Context, kind string) ([]model.Trend, error) {
	return s.Store.Trends(ctx, kind)
}

// ReviewTrend allows or disallows a tag (by name or id) or a status (by id) to trend.
func (s *Service) ReviewTrend(ctx context.Context, kind, target string, allowed bool) error {
	var targetID int64
	switch kind {
	case model.TrendTag:
		t, err := s.tagByNameOrID(ctx, target)
		if err != nil {
			return err
		}
		targetID = t.ID
	case model.TrendStatus:
		n, ok := id.Parse(target)
		if !ok {
			return ErrNotFound
		}
		st, err := s.Store.StatusByID(ctx, n)
		if err != nil {
			return orNotFound(err)
		}
		targetID = st.ID
	default:
		return ErrNotFound
	}
	return s.Store.Writer().ReviewTrend(ctx, kind, targetID, allowed)
}
