package store

import (
	"context"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

// homeWindow is the first span of time the home merge looks back over; each empty-handed
// pass widens it fourfold, so a page costs about one index seek per followed account plus
// the page's rows, whether the accounts post every minute or once a year.
const homeWindow = time.Hour

// HomeTimeline reads a home timeline page by merging, at read time, the statuses of the
// accounts the viewer follows and the viewer's own (see docs/decisions.md), by Mastodon's
// home rules: boosts only where the follow shows them, replies only to the author, the
// viewer or accounts the viewer follows, direct messages only where they mention the viewer.
func (q Q) HomeTimeline(ctx context.Context, viewer int64, p Page) ([]*model.Status, error) {
	return windowedMerge(p, func(lo, hi int64, asc bool) ([]*model.Status, error) {
		out, err := q.homeMergeWindow(ctx, viewer, lo, hi, asc, p.Limit)
		if err != nil {
			return nil, err
		}
		return q.withFollowedTagStatuses(ctx, out, viewer, lo, hi, asc, p.Limit)
	})
}

func (q Q) homeMergeWindow(ctx context.Context, viewer, lo, hi int64, asc bool, limit int) ([]*model.Status, error) {
	// $1 and $2 belong to the join: the followed accounts and the viewer's own.
	b := builder{args: []any{viewer, true}}
	join := ` JOIN (SELECT f.target_account_id AS aid, f.show_reblogs AS reblogs FROM follows f WHERE f.account_id = $1
		UNION ALL SELECT $1, $2) src ON s.account_id = src.aid`
	b.where("s.id > ?", lo)
	b.where("s.id < ?", hi)
	b.where("(s.reblog_of_id IS NULL OR src.reblogs)")
	b.where(`(src.aid = ? OR s.in_reply_to_account_id IS NULL OR s.in_reply_to_account_id IN (s.account_id, ?)
		OR EXISTS (SELECT 1 FROM follows rf WHERE rf.account_id = ? AND rf.target_account_id = s.in_reply_to_account_id))`,
		viewer, viewer, viewer)
	b.outsideExclusiveLists(viewer)
	b.visibleTo(viewer)
	b.screenFor(viewer)
	dir := "DESC"
	if asc {
		dir = "ASC"
	}
	return q.statuses(ctx, "home timeline", join+b.clause()+fmt.Sprintf(" ORDER BY s.id %s LIMIT %d", dir, limit), b.args...)
}
