package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

const mediaColumns = `m.id, m.account_id, m.status_id, m.position, m.type, m.content_type, m.file_key, m.file_size,
	m.preview_key, m.thumbnail_key, m.upload_key, m.upload_type, m.remote_url, m.description, m.blurhash,
	m.meta, m.state, m.created_at, m.updated_at`

func scanMedia(row scanner) (*model.MediaAttachment, error) {
	var m model.MediaAttachment
	var statusID sql.NullInt64
	var meta string
	err := row.Scan(&m.ID, &m.AccountID, &statusID, &m.Position, &m.Type, &m.ContentType, &m.FileKey, &m.FileSize,
		&m.PreviewKey, &m.ThumbnailKey, &m.UploadKey, &m.UploadType, &m.RemoteURL, &m.Description, &m.Blurhash,
		&meta, &m.State, &m.CreatedAt, &m.UpdatedAt)
	if err != nil {
		return nil, err
	}
	if statusID.Valid {
		m.StatusID = &statusID.Int64
	}
	if err := json.Unmarshal([]byte(meta), &m.Meta); err != nil {
		return nil, fmt.Errorf("media %d meta: %w", m.ID, err)
	}
	return &m, nil
}

func (q Q) media(ctx context.Context, what, where string, args ...any) ([]*model.MediaAttachment, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+mediaColumns+` FROM media_attachments m `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []*model.MediaAttachment
	for rows.Next() {
		m, err := scanMedia(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// InsertMedia stores a new attachment; its id must be set (keys are derived from it).
func (q Q) InsertMedia(ctx context.Context, m *model.MediaAttachment) error {
	now := time.Now().UTC()
	m.CreatedAt, m.UpdatedAt = now, now
	meta, err := json.Marshal(m.Meta)
	if err != nil {
		return err
	}
	_, err = q.db.ExecContext(ctx, `INSERT INTO media_attachments (id, account_id, type, content_type, file_key, file_size,
		preview_key, thumbnail_key, upload_key, upload_type, remote_url, description, blurhash, meta, state, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		m.ID, m.AccountID, m.Type, m.ContentType, m.FileKey, m.FileSize, m.PreviewKey, m.ThumbnailKey, m.UploadKey,
		m.UploadType, m.RemoteURL, m.Description, m.Blurhash, string(meta), m.State, m.CreatedAt, m.UpdatedAt)
	return wrap(err, "insert media %d", m.ID)
}

// UpdateMedia saves an attachment's files, description, meta and state (not its status).
func (q Q) UpdateMedia(ctx context.Context, m *model.MediaAttachment) error {
	m.UpdatedAt = time.Now().UTC()
	meta, err := json.Marshal(m.Meta)
	if err != nil {
		return err
	}
	_, err = q.db.ExecContext(ctx, `UPDATE media_attachments SET type = $1, content_type = $2, file_key = $3, file_size = $4,
		preview_key = $5, thumbnail_key = $6, upload_key = $7, upload_type = $8, description = $9, blurhash = $10,
		meta = $11, state = $12, updated_at = $13 WHERE id = $14`,
		m.Type, m.ContentType, m.FileKey, m.FileSize, m.PreviewKey, m.ThumbnailKey, m.UploadKey, m.UploadType,
		m.Description, m.Blurhash, string(meta), m.State, m.UpdatedAt, m.ID)
	return wrap(err, "update media %d", m.ID)
}

// MediaByID loads one attachment.
func (q Q) MediaByID(ctx context.Context, id int64) (*model.MediaAttachment, error) {
	list, err := q.media(ctx, "media by id", `WHERE m.id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("store: media %d: %w", id, ErrNotFound)
	}
	return list[0], nil
}

// MediaByIDs loads attachments by id, in no particular order.
func (q Q) MediaByIDs(ctx context.Context, ids []int64) ([]*model.MediaAttachment, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return q.media(ctx, "media by ids", `WHERE m.id IN (`+placeholders(1, len(ids))+`)`, int64Args(ids)...)
}

// DeleteMedia removes an attachment's row.
func (q Q) DeleteMedia(ctx context.Context, id int64) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM media_attachments WHERE id = $1`, id)
	return wrap(err, "delete media %d", id)
}

// AttachMedia sets a status's attachments to ids, in that order; attachments it had
// before and no longer has are left unattached.
func (q Q) AttachMedia(ctx context.Context, statusID int64, ids []int64) error {
	now := time.Now().UTC()
	args := append([]any{statusID, now}, int64Args(ids)...)
	keep := ""
	if len(ids) > 0 {
		keep = ` AND id NOT IN (` + placeholders(3, len(ids)) + `)`
	}
	if _, err := q.db.ExecContext(ctx, `UPDATE media_attachments SET status_id = NULL, updated_at = $2 WHERE status_id = $1`+keep, args...); err != nil {
		return fmt.Errorf("store: detach media of %d: %w", statusID, err)
	}
	for i, id := range ids {
		if _, err := q.db.ExecContext(ctx, `UPDATE media_attachments SET status_id = $1, position = $2, updated_at = $3 WHERE id = $4`,
			statusID, i, now, id); err != nil {
			return fmt.Errorf("store: attach media %d to %d: %w", id, statusID, err)
		}
	}
	return nil
}

// MediaOf lists the attachments of statuses, each status's in order.
func (q Q) MediaOf(ctx context.Context, statusIDs []int64) (map[int64][]*model.MediaAttachment, error) {
	out := map[int64][]*model.MediaAttachment{}
	if len(statusIDs) == 0 {
		return out, nil
	}
	list, err := q.media(ctx, "media of statuses", `WHERE m.status_id IN (`+placeholders(1, len(statusIDs))+`) ORDER BY m.status_id, m.position`,
		int64Args(statusIDs)...)
	for _, m := range list {
		out[*m.StatusID] = append(out[*m.StatusID], m)
	}
	return out, err
}

// StaleUnattachedMedia lists up to limit attachments left unattached since before.
func (q Q) StaleUnattachedMedia(ctx context.Context, before time.Time, limit int) ([]*model.MediaAttachment, error) {
	return q.media(ctx, "stale media", `WHERE m.status_id IS NULL AND m.updated_at < $1
		AND NOT EXISTS (SELECT 1 FROM scheduled_status_media r WHERE r.media_id = m.id) ORDER BY m.updated_at LIMIT $2`, before, limit)
}

// SetEditMedia records which attachments a version of a status had.
func (q Q) SetEditMedia(ctx context.Context, editID int64, ids []int64) error {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	_, err := q.db.ExecContext(ctx, `UPDATE status_edits SET media_ids = $1 WHERE id = $2`, strings.Join(parts, " "), editID)
	return wrap(err, "media of edit %d", editID)
}

// EditMedia returns the attachment ids each recorded version of a status had, by edit id.
func (q Q) EditMedia(ctx context.Context, statusID int64) (map[int64][]int64, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT id, media_ids FROM status_edits WHERE status_id = $1`, statusID)
	if err != nil {
		return nil, fmt.Errorf("store: media of edits of %d: %w", statusID, err)
	}
	defer rows.Close()
	out := map[int64][]int64{}
	for rows.Next() {
		var editID int64
		var ids string
		if err := rows.Scan(&editID, &ids); err != nil {
			return nil, fmt.Errorf("store: media of edits of %d: %w", statusID, err)
		}
		for _, f := range strings.Fields(ids) {
			if v, err := strconv.ParseInt(f, 10, 64); err == nil {
				out[editID] = append(out[editID], v)
			}
		}
	}
	return out, rows.Err()
}

// SetProfileImageKey saves the blob key of an account's avatar or header (Avatar, Header).
func (q Q) SetProfileImageKey(ctx context.Context, accountID int64, which, key string) error {
	if which != Avatar && which != Header {
		return fmt.Errorf("store: set profile image: unknown image %q", which)
	}
	_, err := q.db.ExecContext(ctx, `UPDATE accounts SET `+which+`_file_key = $1, updated_at = $2 WHERE id = $3`,
		key, time.Now().UTC(), accountID)
	return wrap(err, "set %s of %d", which, accountID)
}

// MediaKeyInUse reports whether attachment id refers to key (original, preview,
// thumbnail or waiting upload): orphan removal keeps such objects.
func (q Q) MediaKeyInUse(ctx context.Context, id int64, key string) (bool, error) {
	var n int
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM media_attachments WHERE id = $1
		AND (file_key = $2 OR preview_key = $2 OR thumbnail_key = $2 OR upload_key = $2)`, id, key).Scan(&n)
	return n > 0, wrap(err, "media key in use")
}

// ProfileImageKeyInUse reports whether account id's avatar or header is key.
func (q Q) ProfileImageKeyInUse(ctx context.Context, id int64, key string) (bool, error) {
	var n int
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM accounts WHERE id = $1
		AND (avatar_file_key = $2 OR header_file_key = $2)`, id, key).Scan(&n)
	return n > 0, wrap(err, "profile image key in use")
}

// ReserveMedia marks attachments as the media of a scheduled status, in order.
func (q Q) ReserveMedia(ctx context.Context, scheduledID int64, ids []int64) error {
	for i, mid := range ids {
		_, err := q.db.ExecContext(ctx, `INSERT INTO scheduled_status_media (media_id, scheduled_status_id, position)
			VALUES ($1, $2, $3)`, mid, scheduledID, i)
		if isUniqueViolation(err) {
			return fmt.Errorf("store: media %d is reserved: %w", mid, ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("store: reserve media: %w", err)
		}
	}
	return nil
}

// ReleaseMedia frees the attachments reserved by a scheduled status, returning their ids
// in order: the status is being published with them.
func (q Q) ReleaseMedia(ctx context.Context, scheduledID int64) ([]int64, error) {
	reserved, err := q.ReservedMedia(ctx, []int64{scheduledID})
	if err != nil {
		return nil, err
	}
	_, err = q.db.ExecContext(ctx, `DELETE FROM scheduled_status_media WHERE scheduled_status_id = $1`, scheduledID)
	ids := make([]int64, len(reserved[scheduledID]))
	for i, m := range reserved[scheduledID] {
		ids[i] = m.ID
	}
	return ids, wrap(err, "release media")
}

// ReservedMedia loads the reserved attachments of each scheduled status, in order.
func (q Q) ReservedMedia(ctx context.Context, scheduledIDs []int64) (map[int64][]*model.MediaAttachment, error) {
	out := map[int64][]*model.MediaAttachment{}
	if len(scheduledIDs) == 0 {
		return out, nil
	}
	rows, err := q.db.QueryContext(ctx, `SELECT r.scheduled_status_id, `+mediaColumns+` FROM scheduled_status_media r
		JOIN media_attachments m ON m.id = r.media_id WHERE r.scheduled_status_id IN (`+placeholders(1, len(scheduledIDs))+`)
		ORDER BY r.scheduled_status_id, r.position`, int64Args(scheduledIDs)...)
	if err != nil {
		return nil, fmt.Errorf("store: reserved media: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sid int64
		m, err := scanMedia(prefixed{rows, &sid})
		if err != nil {
			return nil, fmt.Errorf("store: reserved media: %w", err)
		}
		out[sid] = append(out[sid], m)
	}
	return out, rows.Err()
}

// IsMediaReserved reports which of the attachments a scheduled status holds.
func (q Q) IsMediaReserved(ctx context.Context, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := q.db.QueryContext(ctx, `SELECT media_id FROM scheduled_status_media WHERE media_id IN (`+placeholders(1, len(ids))+`)`, int64Args(ids)...)
	if err != nil {
		return nil, fmt.Errorf("store: reserved media: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var mid int64
		if err := rows.Scan(&mid); err != nil {
			return nil, err
		}
		out[mid] = true
	}
	return out, rows.Err()
}
