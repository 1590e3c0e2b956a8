package store

import (
	"context"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

// FollowTag records that accountID follows tagID; following twice is not an error.
func (q Q) FollowTag(ctx context.Context, accountID, tagID int64) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO tag_follows (id, account_id, tag_id, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT DO NOTHING`, q.NewID(), accountID, tagID, time.Now().UTC())
	return wrap(err, "follow tag %d", tagID)
}

// UnfollowTag removes the follow, if any.
func (q Q) UnfollowTag(ctx context.Context, accountID, tagID int64) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM tag_follows WHERE account_id = $1 AND tag_id = $2`, accountID, tagID)
	return wrap(err, "unfollow tag %d", tagID)
}

// TagFlags says which of the tags accountID follows and features.
type TagFlags struct {
	Following, Featuring map[int64]bool
}

// TagFlagsFor loads accountID's follows and features among tagIDs.
func (q Q) TagFlagsFor(ctx context.Context, accountID int64, tagIDs []int64) (TagFlags, error) {
	f := TagFlags{Following: map[int64]bool{}, Featuring: map[int64]bool{}}
	if len(tagIDs) == 0 {
		return f, nil
	}
	for table, dst := range map[string]map[int64]bool{"tag_follows": f.Following, "featured_tags": f.Featuring} {
		rows, err := q.db.QueryContext(ctx, `SELECT tag_id FROM `+table+` WHERE account_id = $1 AND tag_id IN (`+
			placeholders(2, len(tagIDs))+`)`, append([]any{accountID}, int64Args(tagIDs)...)...)
		if err != nil {
			return f, fmt.Errorf("store: tag flags: %w", err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return f, err
			}
			dst[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return f, err
		}
	}
	return f, nil
}

// FollowedTags pages through accountID's followed tags, newest follow first; the cursors
// are the follows' ids.
func (q Q) FollowedTags(ctx context.Context, accountID int64, p Page) ([]*model.Tag, []int64, error) {
	b := builder{}
	b.where("tf.account_id = ?", accountID)
	tail := b.page("tf.id", p)
	rows, err := q.db.QueryContext(ctx, `SELECT tf.id, t.id, t.name, t.created_at FROM tag_follows tf
		JOIN tags t ON t.id = tf.tag_id`+b.clause()+tail, b.args...)
	if err != nil {
		return nil, nil, fmt.Errorf("store: followed tags: %w", err)
	}
	defer rows.Close()
	var tags []*model.Tag
	var cursors []int64
	for rows.Next() {
		var t model.Tag
		var cursor int64
		if err := rows.Scan(&cursor, &t.ID, &t.Name, &t.CreatedAt); err != nil {
			return nil, nil, fmt.Errorf("store: followed tags: %w", err)
		}
		tags, cursors = append(tags, &t), append(cursors, cursor)
	}
	return ordered(p, tags), ordered(p, cursors), rows.Err()
}

// TagByID loads a tag.
func (q Q) TagByID(ctx context.Context, id int64) (*model.Tag, error) {
	var t model.Tag
	err := q.db.QueryRowContext(ctx, `SELECT id, name, created_at FROM tags WHERE id = $1`, id).Scan(&t.ID, &t.Name, &t.CreatedAt)
	return &t, notFound(err, fmt.Sprintf("tag %d", id))
}
