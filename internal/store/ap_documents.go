package store

import (
	"context"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

// PublicReplies lists the public and unlisted replies to parentID, oldest first, after
// the reply id after: those by authorID (others=false, a self-thread) or those by
// everyone else. ActivityPub replies collections page through them.
func (q Q) PublicReplies(ctx context.Context, parentID, authorID int64, others bool, after int64, limit int) ([]*model.Status, error) {
	var b builder
	b.where("s.in_reply_to_id = ?", parentID)
	b.where("s.visibility IN ('public', 'unlisted')")
	if others {
		b.where("s.account_id <> ?", authorID)
	} else {
		b.where("s.account_id = ?", authorID)
	}
	b.where("s.id > ?", after)
	return q.statuses(ctx, "public replies", b.clause()+fmt.Sprintf(" ORDER BY s.id ASC LIMIT %d", limit), b.args...)
}

// NodeUsage is what NodeInfo reports about an instance's use.
type NodeUsage struct {
	Users, ActiveMonth, ActiveHalfyear, LocalPosts int64
}

// NodeUsage counts local users, those who posted in the last 30 and 180 days, and local
// statuses (boosts excluded), as NodeInfo's usage section has them.
func (q Q) NodeUsage(ctx context.Context, now time.Time) (NodeUsage, error) {
	var u NodeUsage
	err := q.db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM users),
		(SELECT COUNT(*) FROM accounts WHERE domain = '' AND last_status_at > $1),
		(SELECT COUNT(*) FROM accounts WHERE domain = '' AND last_status_at > $2),
		(SELECT COUNT(*) FROM statuses WHERE local = $3 AND reblog_of_id IS NULL)`,
		now.UTC().AddDate(0, 0, -30), now.UTC().AddDate(0, 0, -180), true).Scan(&u.Users, &u.ActiveMonth, &u.ActiveHalfyear, &u.LocalPosts)
	return u, wrap(err, "node usage")
}

// LocalEmojiByID loads a local custom emoji by id, as its ActivityPub document names it.
func (q Q) LocalEmojiByID(ctx context.Context, id int64) (*model.CustomEmoji, error) {
	e, err := scanEmoji(q.db.QueryRowContext(ctx, `SELECT `+emojiColumns+` FROM custom_emojis
		WHERE domain = '' AND id = $1`, id))
	return e, notFound(err, fmt.Sprintf("emoji %d", id))
}
