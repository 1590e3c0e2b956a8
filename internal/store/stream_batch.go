package store

import (
	"context"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

// batchSize bounds the ids one query names, under SQLite's and PostgreSQL's limits on
// bound parameters and so that no one statement grows unbounded.
const batchSize = 500

// ScreenedViewers returns those of viewers from whom screenFor keeps statuses by author:
// a block either way, a running mute, a blocked domain the viewer does not follow into.
// It is screenFor's rule asked for many viewers at once, so that a public status is
// screened for thousands of live streams in a few queries; a test checks that the two agree.
func (q Q) ScreenedViewers(ctx context.Context, author int64, viewers []int64, now time.Time) (map[int64]bool, error) {
	out := map[int64]bool{}
	for start := 0; start < len(viewers); start += batchSize {
		chunk := viewers[start:min(start+batchSize, len(viewers))]
		b := builder{args: []any{author}}
		b.where(`NOT (`+screenSQLOf("$1", "v.id", false)+`)`, now.UTC())
		b.where(`v.id IN (`+questionMarks(len(chunk))+`)`, int64Args(chunk)...)
		set, err := q.idSet(ctx, "screened viewers", `SELECT v.id FROM accounts v`+b.clause(), b.args...)
		if err != nil {
			return nil, err
		}
		for id := range set {
			out[id] = true
		}
	}
	return out, nil
}

// ActiveFiltersOf loads the unexpired filters of each of owners, keywords and statuses
// included, in a few queries per batch of owners.
func (q Q) ActiveFiltersOf(ctx context.Context, owners []int64, now time.Time) (map[int64][]*model.Filter, error) {
	out := map[int64][]*model.Filter{}
	for start := 0; start < len(owners); start += batchSize {
		chunk := owners[start:min(start+batchSize, len(owners))]
		list, err := q.filters(ctx, ` WHERE (f.expires_at IS NULL OR f.expires_at > $1) AND f.account_id IN (`+
			placeholders(2, len(chunk))+`) ORDER BY f.id`, append([]any{now.UTC()}, int64Args(chunk)...)...)
		if err != nil {
			return nil, err
		}
		for _, f := range list {
			out[f.AccountID] = append(out[f.AccountID], f)
		}
	}
	return out, nil
}
