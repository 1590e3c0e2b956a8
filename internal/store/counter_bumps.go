package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

// CounterBumps gathers the counter changes of new statuses so that a transaction
// storing many of them bumps each account and parent row once, at its end. Bumping
// per status would take the author's row lock with the first status and hold it while
// the rest are stored and fanned out: concurrent batches from one busy remote author
// then queue behind each other on that one row.
type CounterBumps struct {
	accounts map[int64]accountBump
	reblogs  map[int64]int64 // boosted status id → new boosts
	replies  map[int64]int64 // parent status id → new visible replies
}

type accountBump struct {
	statuses int64
	last     time.Time
}

// Add counts s as countNewStatus would: direct messages not at all, and a reply on its
// parent only when public or unlisted, so counts do not reveal what a viewer cannot see.
func (c *CounterBumps) Add(s *model.Status) {
	if s.Visibility == model.Direct {
		return
	}
	if c.accounts == nil {
		c.accounts, c.reblogs, c.replies = map[int64]accountBump{}, map[int64]int64{}, map[int64]int64{}
	}
	b := c.accounts[s.AccountID]
	b.statuses++
	if s.CreatedAt.After(b.last) {
		b.last = s.CreatedAt
	}
	c.accounts[s.AccountID] = b
	switch {
	case s.ReblogOfID != nil:
		c.reblogs[*s.ReblogOfID]++
	case s.InReplyToID != nil && distributable(s):
		c.replies[*s.InReplyToID]++
	}
}

// ApplyCounterBumps writes the gathered counts, rows in id order so that two
// transactions bumping the same rows cannot deadlock.
func (q Q) ApplyCounterBumps(ctx context.Context, c *CounterBumps) error {
	for _, id := range sortedKeys(c.accounts) {
		b := c.accounts[id]
		if _, err := q.db.ExecContext(ctx, `UPDATE accounts SET statuses_count = statuses_count + $1, last_status_at = $2 WHERE id = $3`,
			b.statuses, b.last, id); err != nil {
			return fmt.Errorf("store: count statuses of account %d: %w", id, err)
		}
	}
	for _, id := range sortedKeys(c.reblogs) {
		if _, err := q.db.ExecContext(ctx, `UPDATE statuses SET reblogs_count = reblogs_count + $1 WHERE id = $2`, c.reblogs[id], id); err != nil {
			return fmt.Errorf("store: count boosts of %d: %w", id, err)
		}
	}
	for _, id := range sortedKeys(c.replies) {
		if _, err := q.db.ExecContext(ctx, `UPDATE statuses SET replies_count = replies_count + $1 WHERE id = $2`, c.replies[id], id); err != nil {
			return fmt.Errorf("store: count replies to %d: %w", id, err)
		}
	}
	*c = CounterBumps{}
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
