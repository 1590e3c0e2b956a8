package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

// counterBumps gathers a transaction's increments of the denormalised counters (an
// account's statuses, followers and following; a status's boosts and replies) and
// writes them when the transaction is about to commit, each row once, in id order.
// Bumping at once would take the counted row's lock with the first change and hold it
// through everything the transaction does next (notifications, deliveries, the rest of
// a batch): a busy remote author's concurrent batches, or a thousand follows of one
// account, then queue on that one row. Id order keeps two transactions bumping the
// same rows from deadlocking. Reads inside the transaction see the counters before its
// bumps.
type counterBumps struct {
	statuses  map[int64]statusesBump
	followers map[int64]int64
	following map[int64]int64
	reblogs   map[int64]int64 // boosted status id → new boosts
	replies   map[int64]int64 // parent status id → new visible replies
}

type statusesBump struct {
	n    int64
	last time.Time
}

func (c *counterBumps) empty() bool {
	return len(c.statuses)+len(c.followers)+len(c.following)+len(c.reblogs)+len(c.replies) == 0
}

// addStatus counts a new status: direct messages not at all, and a reply on its parent
// only when public or unlisted, so counts do not reveal what a viewer cannot see.
func (c *counterBumps) addStatus(s *model.Status) {
	if s.Visibility == model.Direct {
		return
	}
	b := c.statuses[s.AccountID]
	b.n++
	if s.CreatedAt.After(b.last) {
		b.last = s.CreatedAt
	}
	c.statuses = setIn(c.statuses, s.AccountID, b)
	switch {
	case s.ReblogOfID != nil:
		c.reblogs = setIn(c.reblogs, *s.ReblogOfID, c.reblogs[*s.ReblogOfID]+1)
	case s.InReplyToID != nil && distributable(s):
		c.replies = setIn(c.replies, *s.InReplyToID, c.replies[*s.InReplyToID]+1)
	}
}

func (c *counterBumps) addFollow(f *model.Follow, delta int64) {
	c.following = setIn(c.following, f.AccountID, c.following[f.AccountID]+delta)
	c.followers = setIn(c.followers, f.TargetAccountID, c.followers[f.TargetAccountID]+delta)
}

func setIn[V any](m map[int64]V, k int64, v V) map[int64]V {
	if m == nil {
		m = map[int64]V{}
	}
	m[k] = v
	return m
}

// bump records changes in q's transaction, or writes them at once outside one.
func (q Q) bump(ctx context.Context, add func(*counterBumps)) error {
	if q.bumps != nil {
		add(q.bumps)
		return nil
	}
	var c counterBumps
	add(&c)
	return q.applyBumps(ctx, &c)
}

// applyBumps writes the gathered counts: statuses rows first, then accounts, each in
// id order (the order every transaction takes its counter locks in).
func (q Q) applyBumps(ctx context.Context, c *counterBumps) error {
	if c.empty() {
		return nil
	}
	steps := []struct {
		what, sql string
		deltas    map[int64]int64
	}{
		{"boosts", `UPDATE statuses SET reblogs_count = reblogs_count + $1 WHERE id = $2`, c.reblogs},
		{"replies", `UPDATE statuses SET replies_count = replies_count + $1 WHERE id = $2`, c.replies},
		{"following", `UPDATE accounts SET following_count = following_count + $1 WHERE id = $2`, c.following},
		{"followers", `UPDATE accounts SET followers_count = followers_count + $1 WHERE id = $2`, c.followers},
	}
	for _, st := range steps {
		for _, id := range sortedKeys(st.deltas) {
			if d := st.deltas[id]; d != 0 {
				if _, err := q.db.ExecContext(ctx, st.sql, d, id); err != nil {
					return fmt.Errorf("store: count %s of %d: %w", st.what, id, err)
				}
			}
		}
	}
	for _, id := range sortedKeys(c.statuses) {
		b := c.statuses[id]
		if _, err := q.db.ExecContext(ctx, `UPDATE accounts SET statuses_count = statuses_count + $1, last_status_at = $2 WHERE id = $3`,
			b.n, b.last, id); err != nil {
			return fmt.Errorf("store: count statuses of account %d: %w", id, err)
		}
	}
	*c = counterBumps{}
	return nil
}

func sortedKeys[V any](m map[int64]V) []int64 {
	keys := make([]int64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
