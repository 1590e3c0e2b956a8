package store

import (
	"context"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

const emojiColumns = `id, shortcode, domain, file, content_type, category, visible_in_picker, disabled, created_at, updated_at`

func scanEmoji(row scanner) (*model.CustomEmoji, error) {
	var e model.CustomEmoji
	err := row.Scan(&e.ID, &e.Shortcode, &e.Domain, &e.File, &e.ContentType, &e.Category, &e.VisibleInPicker,
		&e.Disabled, &e.CreatedAt, &e.UpdatedAt)
	return &e, err
}

// LocalEmojis lists the instance's own emoji that are not disabled, by shortcode.
func (q Q) LocalEmojis(ctx context.Context) ([]*model.CustomEmoji, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+emojiColumns+` FROM custom_emojis
		WHERE domain = '' AND disabled = $1 ORDER BY lower(shortcode), shortcode`, false)
	if err != nil {
		return nil, wrap(err, "local emojis")
	}
	defer rows.Close()
	var out []*model.CustomEmoji
	for rows.Next() {
		e, err := scanEmoji(rows)
		if err != nil {
			return nil, wrap(err, "local emojis")
		}
		out = append(out, e)
	}
	return out, wrap(rows.Err(), "local emojis")
}

// LocalEmoji loads one local emoji by its exact shortcode.
func (q Q) LocalEmoji(ctx context.Context, shortcode string) (*model.CustomEmoji, error) {
	e, err := scanEmoji(q.db.QueryRowContext(ctx, `SELECT `+emojiColumns+` FROM custom_emojis
		WHERE domain = '' AND shortcode = $1`, shortcode))
	return e, notFound(err, "emoji "+shortcode)
}

// UpsertLocalEmoji stores a local emoji, replacing the image and settings of one with
// the same shortcode.
func (q Q) UpsertLocalEmoji(ctx context.Context, e *model.CustomEmoji) error {
	now := time.Now().UTC()
	if e.ID == 0 {
		e.ID, e.CreatedAt = q.NewID(), now
	}
	e.UpdatedAt = now
	_, err := q.db.ExecContext(ctx, `INSERT INTO custom_emojis (`+emojiColumns+`)
		VALUES ($1, $2, '', $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (shortcode, domain) DO UPDATE SET file = excluded.file, content_type = excluded.content_type,
			category = excluded.category, visible_in_picker = excluded.visible_in_picker, disabled = excluded.disabled,
			updated_at = excluded.updated_at`,
		e.ID, e.Shortcode, e.File, e.ContentType, e.Category, e.VisibleInPicker, e.Disabled, e.CreatedAt, e.UpdatedAt)
	return wrap(err, "store emoji %s", e.Shortcode)
}

// DeleteLocalEmoji removes a local emoji.
func (q Q) DeleteLocalEmoji(ctx context.Context, shortcode string) error {
	return q.deleteOne(ctx, `DELETE FROM custom_emojis WHERE domain = '' AND shortcode = $1`, shortcode, "emoji")
}

// EmojiFileInUse reports whether any emoji row still points at file.
func (q Q) EmojiFileInUse(ctx context.Context, file string) (bool, error) {
	var n int
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM custom_emojis WHERE file = $1`, file).Scan(&n)
	return n > 0, wrap(err, "emoji file in use")
}

// EmojiVersion changes whenever a local emoji is added, changed or removed: the
// emoji catalogue reloads when it does. (MAX() would lose the column's time type on
// SQLite, so the newest row is read instead.)
func (q Q) EmojiVersion(ctx context.Context) (string, error) {
	var n int64
	if err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM custom_emojis WHERE domain = ''`).Scan(&n); err != nil || n == 0 {
		return "0", wrap(err, "emoji version")
	}
	var latest time.Time
	err := q.db.QueryRowContext(ctx, `SELECT updated_at FROM custom_emojis WHERE domain = '' ORDER BY updated_at DESC LIMIT 1`).Scan(&latest)
	return fmt.Sprintf("%d/%s", n, latest.UTC().Format(time.RFC3339Nano)), wrap(err, "emoji version")
}
