package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
)

// featuredTagSelect reads featured tags with the owner's use of each: their public and
// unlisted original statuses carrying the tag, counted at read time.
const featuredTagSelect = `SELECT ft.id, ft.account_id, ft.created_at, t.id, t.name, t.created_at,
	(SELECT COUNT(*) FROM status_tags st JOIN statuses s ON s.id = st.status_id
		WHERE st.tag_id = t.id AND s.account_id = ft.account_id AND s.visibility IN ('public', 'unlisted') AND s.reblog_of_id IS NULL),
	(SELECT MAX(st.status_id) FROM status_tags st JOIN statuses s ON s.id = st.status_id
		WHERE st.tag_id = t.id AND s.account_id = ft.account_id AND s.visibility IN ('public', 'unlisted') AND s.reblog_of_id IS NULL)
	FROM featured_tags ft JOIN tags t ON t.id = ft.tag_id`

func scanFeaturedTag(row scanner) (*model.FeaturedTag, error) {
	var f model.FeaturedTag
	var last sql.NullInt64
	err := row.Scan(&f.ID, &f.AccountID, &f.CreatedAt, &f.Tag.ID, &f.Tag.Name, &f.Tag.CreatedAt, &f.StatusesCount, &last)
	if last.Valid {
		at := id.Time(last.Int64) // ids are time-ordered: the newest id is the last status's time
		f.LastStatusAt = &at
	}
	return &f, err
}

// FeaturedTags lists accountID's featured tags, oldest first as Mastodon shows them.
func (q Q) FeaturedTags(ctx context.Context, accountID int64) ([]*model.FeaturedTag, error) {
	rows, err := q.db.QueryContext(ctx, featuredTagSelect+` WHERE ft.account_id = $1 ORDER BY ft.id`, accountID)
	if err != nil {
		return nil, fmt.Errorf("store: featured tags: %w", err)
	}
	defer rows.Close()
	var out []*model.FeaturedTag
	for rows.Next() {
		f, err := scanFeaturedTag(rows)
		if err != nil {
			return nil, fmt.Errorf("store: featured tags: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// FeaturedTag loads one of accountID's featured tags by its id.
func (q Q) FeaturedTag(ctx context.Context, accountID, featuredID int64) (*model.FeaturedTag, error) {
	f, err := scanFeaturedTag(q.db.QueryRowContext(ctx, featuredTagSelect+` WHERE ft.account_id = $1 AND ft.id = $2`, accountID, featuredID))
	return f, notFound(err, fmt.Sprintf("featured tag %d", featuredID))
}

// FeaturedTagOf loads accountID's feature of tagID.
func (q Q) FeaturedTagOf(ctx context.Context, accountID, tagID int64) (*model.FeaturedTag, error) {
	f, err := scanFeaturedTag(q.db.QueryRowContext(ctx, featuredTagSelect+` WHERE ft.account_id = $1 AND ft.tag_id = $2`, accountID, tagID))
	return f, notFound(err, fmt.Sprintf("featured tag of %d", tagID))
}

// CountFeaturedTags counts accountID's featured tags.
func (q Q) CountFeaturedTags(ctx context.Context, accountID int64) (int, error) {
	var n int
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM featured_tags WHERE account_id = $1`, accountID).Scan(&n)
	return n, wrap(err, "count featured tags")
}

// InsertFeaturedTag features tagID on accountID's profile; ErrConflict when it already is.
func (q Q) InsertFeaturedTag(ctx context.Context, accountID, tagID int64) (int64, error) {
	fid := q.NewID()
	_, err := q.db.ExecContext(ctx, `INSERT INTO featured_tags (id, account_id, tag_id, created_at) VALUES ($1, $2, $3, $4)`,
		fid, accountID, tagID, time.Now().UTC())
	if isUniqueViolation(err) {
		return 0, fmt.Errorf("store: feature tag %d: %w", tagID, ErrConflict)
	}
	return fid, wrap(err, "feature tag %d", tagID)
}

// DeleteFeaturedTag removes one of accountID's featured tags; ErrNotFound when it has none such.
func (q Q) DeleteFeaturedTag(ctx context.Context, accountID, featuredID int64) error {
	res, err := q.db.ExecContext(ctx, `DELETE FROM featured_tags WHERE account_id = $1 AND id = $2`, accountID, featuredID)
	if err != nil {
		return fmt.Errorf("store: unfeature tag: %w", err)
	}
	return mustAffect(res, fmt.Sprintf("featured tag %d", featuredID))
}

// UnfeatureTag removes accountID's feature of tagID, if any.
func (q Q) UnfeatureTag(ctx context.Context, accountID, tagID int64) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM featured_tags WHERE account_id = $1 AND tag_id = $2`, accountID, tagID)
	return wrap(err, "unfeature tag %d", tagID)
}

// MostUsedUnfeaturedTags lists the tags accountID used most in its statuses that it does
// not feature yet, most used first.
func (q Q) MostUsedUnfeaturedTags(ctx context.Context, accountID int64, limit int) ([]*model.Tag, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT t.id, t.name, t.created_at FROM tags t
		JOIN status_tags st ON st.tag_id = t.id JOIN statuses s ON s.id = st.status_id
		WHERE s.account_id = $1 AND s.reblog_of_id IS NULL
		AND NOT EXISTS (SELECT 1 FROM featured_tags ft WHERE ft.account_id = $1 AND ft.tag_id = t.id)
		GROUP BY t.id, t.name, t.created_at ORDER BY COUNT(*) DESC, MAX(s.id) DESC LIMIT $2`, accountID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: tag suggestions: %w", err)
	}
	defer rows.Close()
	var out []*model.Tag
	for rows.Next() {
		var t model.Tag
		if err := rows.Scan(&t.ID, &t.Name, &t.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: tag suggestions: %w", err)
		}
		out = append(out, &t)
	}
	return out, rows.Err()
}
