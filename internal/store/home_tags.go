package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/tuskhq/tusk/internal/model"
)

// homeFollowedTags reads, for one home merge window, the public original statuses that
// carry a hashtag the viewer follows. As in Mastodon, only public statuses reach
// followers of their tags: unlisted ones stay out of every hashtag surface.
func (q Q) homeFollowedTags(ctx context.Context, viewer, lo, hi int64, asc bool, limit int) ([]*model.Status, error) {
	dir := "DESC"
	if asc {
		dir = "ASC"
	}
	// Driving from status_tags uses its (tag_id, status_id) key: one range per followed tag.
	b := builder{args: []any{viewer, lo, hi}}
	b.where(`s.id IN (SELECT st.status_id FROM tag_follows tf
		JOIN status_tags st ON st.tag_id = tf.tag_id WHERE tf.account_id = $1 AND st.status_id > $2 AND st.status_id < $3)`)
	b.where("s.visibility = 'public' AND s.reblog_of_id IS NULL")
	b.screenFor(viewer)
	return q.statuses(ctx, "home followed tags", b.clause()+fmt.Sprintf(" ORDER BY s.id %s LIMIT %d", dir, limit), b.args...)
}

// withFollowedTagStatuses merges the window's followed-tag statuses into the page read
// from followed accounts, without duplicates, in the page's order and within its limit.
func (q Q) withFollowedTagStatuses(ctx context.Context, page []*model.Status, viewer, lo, hi int64, asc bool, limit int) ([]*model.Status, error) {
	tagged, err := q.homeFollowedTags(ctx, viewer, lo, hi, asc, limit)
	if err != nil || len(tagged) == 0 {
		return page, err
	}
	seen := make(map[int64]bool, len(page))
	for _, s := range page {
		seen[s.ID] = true
	}
	for _, s := range tagged {
		if !seen[s.ID] {
			page = append(page, s)
		}
	}
	slices.SortFunc(page, func(a, b *model.Status) int {
		if asc {
			return cmp.Compare(a.ID, b.ID)
		}
		return cmp.Compare(b.ID, a.ID)
	})
	return page[:min(len(page), limit)], nil
}
