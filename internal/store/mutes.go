package store

import (
	"context"
	"fmt"
	"time"
)

// threadWalk is the recursive query that follows each start status up its reply chain;
// $1.. are the start ids. The depth bound guards against a malformed chain.
const threadWalk = `WITH RECURSIVE up (start, id, parent, depth) AS (
		SELECT id, id, in_reply_to_id, 0 FROM statuses WHERE id IN (%s)
		UNION ALL
		SELECT up.start, s.id, s.in_reply_to_id, up.depth + 1 FROM statuses s JOIN up ON s.id = up.parent WHERE up.depth < 1000)`

// ThreadRoot is the first status of the thread statusID belongs to: its oldest
// ancestor that still exists.
func (q Q) ThreadRoot(ctx context.Context, statusID int64) (int64, error) {
	var root int64
	err := q.db.QueryRowContext(ctx, fmt.Sprintf(threadWalk, "$1")+` SELECT id FROM up ORDER BY depth DESC LIMIT 1`, statusID).Scan(&root)
	return root, notFound(err, "thread root")
}

// MuteConversation mutes the thread rooted at rootID for accountID.
func (q Q) MuteConversation(ctx context.Context, accountID, rootID int64) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO conversation_mutes (account_id, status_id, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (account_id, status_id) DO NOTHING`, accountID, rootID, time.Now().UTC())
	return wrap(err, "mute conversation")
}

// UnmuteConversation undoes MuteConversation.
func (q Q) UnmuteConversation(ctx context.Context, accountID, rootID int64) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM conversation_mutes WHERE account_id = $1 AND status_id = $2`, accountID, rootID)
	return wrap(err, "unmute conversation")
}

// MutedConversations reports which of the statuses belong to a thread accountID muted.
func (q Q) MutedConversations(ctx context.Context, accountID int64, statusIDs []int64) (map[int64]bool, error) {
	if accountID == 0 || len(statusIDs) == 0 {
		return map[int64]bool{}, nil
	}
	// Most accounts mute no conversation: one index probe spares them the thread walk.
	var some int
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM conversation_mutes WHERE account_id = $1 LIMIT 1) m`, accountID).Scan(&some)
	if err != nil || some == 0 {
		return map[int64]bool{}, wrap(err, "has muted conversations")
	}
	n := len(statusIDs)
	query := fmt.Sprintf(threadWalk, placeholders(1, n)) + ` SELECT DISTINCT up.start FROM up
		JOIN conversation_mutes m ON m.status_id = up.id AND m.account_id = ` + fmt.Sprintf("$%d", n+1)
	return q.idSet(ctx, "muted conversations", query, append(int64Args(statusIDs), accountID)...)
}
