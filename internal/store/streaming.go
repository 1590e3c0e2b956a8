package store

import (
	"context"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

// HomeCandidates lists the local accounts whose home timeline may show the status: its
// author, the local followers of its author and, for public originals, the local
// followers of its tags. Streaming publishes to these accounts' user streams; whether the
// status really belongs in each home is InHome's answer, asked per listener.
func (q Q) HomeCandidates(ctx context.Context, st *model.Status) ([]int64, error) {
	set, err := q.idSet(ctx, "home candidates", `SELECT a.id FROM accounts a WHERE a.id = $1 AND a.domain = ''
		UNION SELECT f.account_id FROM follows f JOIN accounts fa ON fa.id = f.account_id
			WHERE f.target_account_id = $1 AND fa.domain = ''
		UNION SELECT tf.account_id FROM tag_follows tf JOIN status_tags st ON st.tag_id = tf.tag_id
			JOIN accounts ta ON ta.id = tf.account_id
			WHERE st.status_id = $2 AND ta.domain = '' AND $3`, st.AccountID, st.ID, st.Visibility == model.Public && st.ReblogOfID == nil)
	return sortedIDs(set), err
}

// ListsWithMember lists the lists, of any owner, that accountID is a member of.
func (q Q) ListsWithMember(ctx context.Context, accountID int64) ([]int64, error) {
	set, err := q.idSet(ctx, "lists with member", `SELECT list_id FROM list_accounts WHERE account_id = $1`, accountID)
	return sortedIDs(set), err
}

// around is the page holding exactly the status statusID, if the timeline has it.
func around(statusID int64) Page {
	return Page{MaxID: statusID + 1, SinceID: statusID - 1, Limit: 1}
}

// InHome reports whether viewer's home timeline shows the status: the home timeline's
// own query, asked for one id, so a stream and a timeline page never disagree.
func (q Q) InHome(ctx context.Context, viewer, statusID int64) (bool, error) {
	list, err := q.HomeTimeline(ctx, viewer, around(statusID))
	return len(list) == 1, err
}

// InList reports whether the list's timeline shows the status.
func (q Q) InList(ctx context.Context, l *model.List, statusID int64) (bool, error) {
	list, err := q.ListTimeline(ctx, l, around(statusID))
	return len(list) == 1, err
}

// InPublic reports whether the public timeline of scope sc shows the status.
func (q Q) InPublic(ctx context.Context, sc Scope, statusID int64) (bool, error) {
	list, err := q.PublicTimeline(ctx, sc, around(statusID))
	return len(list) == 1, err
}

// InTag reports whether the hashtag timeline of f shows the status.
func (q Q) InTag(ctx context.Context, f TagFilter, statusID int64) (bool, error) {
	list, err := q.TagTimeline(ctx, f, around(statusID))
	return len(list) == 1, err
}

// ConversationWithStatus loads accountID's conversation that holds statusID.
func (q Q) ConversationWithStatus(ctx context.Context, accountID, statusID int64) (*model.Conversation, error) {
	c, err := scanConversation(q.db.QueryRowContext(ctx, `SELECT `+conversationColumns+` FROM conversations c
		JOIN conversation_statuses cs ON cs.conversation_id = c.id
		WHERE c.account_id = $1 AND cs.status_id = $2 AND c.last_status_id IS NOT NULL`, accountID, statusID))
	return c, notFound(err, fmt.Sprintf("conversation with status %d", statusID))
}

// EndedSessions returns those of tokenIDs that may no longer stream: revoked, expired,
// deleted with their app or user, or belonging to a disabled user or suspended account.
func (q Q) EndedSessions(ctx context.Context, tokenIDs []int64, now time.Time) ([]int64, error) {
	if len(tokenIDs) == 0 {
		return nil, nil
	}
	live, err := q.idSet(ctx, "live sessions", `SELECT t.id FROM tokens t JOIN users u ON u.id = t.user_id
		JOIN accounts a ON a.id = u.account_id
		WHERE t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $1) AND NOT u.disabled AND a.suspended_at IS NULL
		AND t.id IN (`+placeholders(2, len(tokenIDs))+`)`, append([]any{now.UTC()}, int64Args(tokenIDs)...)...)
	if err != nil {
		return nil, err
	}
	var ended []int64
	for _, id := range tokenIDs {
		if !live[id] {
			ended = append(ended, id)
		}
	}
	return ended, nil
}
