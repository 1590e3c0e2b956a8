package store

import (
	"context"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

// batchSize bounds the ids one query names, well under SQLite's (32,766) and
// PostgreSQL's (65,535) limits on bound parameters.
const batchSize = 5000

// ScreenedViewers returns those of viewers from whom screenFor keeps statuses by author:
// a block either way, a running mute, a blocked domain the viewer does not follow into.
// It is screenFor's rule asked for many viewers at once, so that a public status is
// screened for thousands of live streams in one query: the accounts with any such
// relation to the author are few, so the rule is asked of them, and a test checks that
// the answer agrees with the timelines' per-viewer one.
func (q Q) ScreenedViewers(ctx context.Context, author int64, viewers []int64, now time.Time) (map[int64]bool, error) {
	b := builder{args: []any{author}}
	b.where(`v.id IN (SELECT account_id FROM blocks WHERE target_account_id = $1
		UNION SELECT target_account_id FROM blocks WHERE account_id = $1
		UNION SELECT account_id FROM mutes WHERE target_account_id = $1
		UNION SELECT xd.account_id FROM account_domain_blocks xd JOIN accounts xa ON xa.domain = xd.domain WHERE xa.id = $1)`)
	b.where(`NOT (`+screenSQLOf("$1", "v.id", false)+`)`, now.UTC())
	related, err := q.idSet(ctx, "screened viewers", `SELECT v.id FROM accounts v`+b.clause(), b.args...)
	if err != nil {
		return nil, err
	}
	out := map[int64]bool{}
	for _, v := range viewers {
		if related[v] {
			out[v] = true
		}
	}
	return out, nil
}

// ActiveFiltersOf loads the unexpired filters of each of owners, keywords and statuses
// included. Few members have filters, so it first asks who has any, and then loads
// only theirs, in batches.
func (q Q) ActiveFiltersOf(ctx context.Context, owners []int64, now time.Time) (map[int64][]*model.Filter, error) {
	out := map[int64][]*model.Filter{}
	having, err := q.idSet(ctx, "filter owners", `SELECT DISTINCT account_id FROM filters WHERE expires_at IS NULL OR expires_at > $1`, now.UTC())
	if err != nil {
		return nil, err
	}
	var wanted []int64
	for _, id := range owners {
		if having[id] {
			wanted = append(wanted, id)
		}
	}
	for start := 0; start < len(wanted); start += batchSize {
		chunk := wanted[start:min(start+batchSize, len(wanted))]
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
