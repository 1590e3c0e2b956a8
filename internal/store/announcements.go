package store

import (
	"context"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

const announcementColumns = `an.id, an.text, an.starts_at, an.ends_at, an.all_day, an.published_at, an.updated_at`

func scanAnnouncement(row scanner) (*model.Announcement, error) {
	var a model.Announcement
	err := row.Scan(&a.ID, &a.Text, &a.StartsAt, &a.EndsAt, &a.AllDay, &a.PublishedAt, &a.UpdatedAt)
	return &a, err
}

func (q Q) announcements(ctx context.Context, what, tail string, args ...any) ([]*model.Announcement, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+announcementColumns+` FROM announcements an`+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []*model.Announcement
	for rows.Next() {
		a, err := scanAnnouncement(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// InsertAnnouncement stores a new announcement, published now.
func (q Q) InsertAnnouncement(ctx context.Context, a *model.Announcement) error {
	a.ID = q.NewID()
	a.PublishedAt = time.Now().UTC()
	a.UpdatedAt = a.PublishedAt
	_, err := q.db.ExecContext(ctx, `INSERT INTO announcements (id, text, starts_at, ends_at, all_day, published_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, a.ID, a.Text, a.StartsAt, a.EndsAt, a.AllDay, a.PublishedAt, a.UpdatedAt)
	return wrap(err, "insert announcement")
}

// AllAnnouncements lists every announcement, newest first, for admins.
func (q Q) AllAnnouncements(ctx context.Context) ([]*model.Announcement, error) {
	return q.announcements(ctx, "announcements", ` ORDER BY an.id DESC`)
}

// ActiveAnnouncements lists the announcements running at now (started, not ended), in the
// order they started.
func (q Q) ActiveAnnouncements(ctx context.Context, now time.Time) ([]*model.Announcement, error) {
	return q.announcements(ctx, "active announcements", ` WHERE (an.starts_at IS NULL OR an.starts_at <= $1)
		AND (an.ends_at IS NULL OR an.ends_at > $1) ORDER BY COALESCE(an.starts_at, an.published_at), an.id`, now.UTC())
}

// AnnouncementByID loads one announcement.
func (q Q) AnnouncementByID(ctx context.Context, id int64) (*model.Announcement, error) {
	a, err := scanAnnouncement(q.db.QueryRowContext(ctx, `SELECT `+announcementColumns+` FROM announcements an WHERE an.id = $1`, id))
	return a, notFound(err, fmt.Sprintf("announcement %d", id))
}

// DeleteAnnouncement removes an announcement with its reads and reactions.
func (q Q) DeleteAnnouncement(ctx context.Context, id int64) error {
	res, err := q.db.ExecContext(ctx, `DELETE FROM announcements WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("store: delete announcement: %w", err)
	}
	return mustAffect(res, fmt.Sprintf("announcement %d", id))
}

// MarkAnnouncementRead records that accountID dismissed the announcement.
func (q Q) MarkAnnouncementRead(ctx context.Context, announcementID, accountID int64) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO announcement_reads (announcement_id, account_id) VALUES ($1, $2)
		ON CONFLICT DO NOTHING`, announcementID, accountID)
	return wrap(err, "dismiss announcement %d", announcementID)
}

// ReadAnnouncements reports which of ids accountID has dismissed.
func (q Q) ReadAnnouncements(ctx context.Context, accountID int64, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := q.db.QueryContext(ctx, `SELECT announcement_id FROM announcement_reads WHERE account_id = $1
		AND announcement_id IN (`+placeholders(2, len(ids))+`)`, append([]any{accountID}, int64Args(ids)...)...)
	if err != nil {
		return nil, fmt.Errorf("store: announcement reads: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// AddAnnouncementReaction records accountID's reaction; reacting twice is not an error.
func (q Q) AddAnnouncementReaction(ctx context.Context, announcementID, accountID int64, name string) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO announcement_reactions (announcement_id, account_id, name, created_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, announcementID, accountID, name, time.Now().UTC())
	return wrap(err, "react to announcement %d", announcementID)
}

// RemoveAnnouncementReaction undoes AddAnnouncementReaction, if there was one.
func (q Q) RemoveAnnouncementReaction(ctx context.Context, announcementID, accountID int64, name string) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM announcement_reactions WHERE announcement_id = $1 AND account_id = $2 AND name = $3`,
		announcementID, accountID, name)
	return wrap(err, "unreact to announcement %d", announcementID)
}

// AnnouncementReactions counts each announcement's reactions per emoji, in order of first
// use, marking those viewer added.
func (q Q) AnnouncementReactions(ctx context.Context, viewer int64, ids []int64) (map[int64][]model.Reaction, error) {
	out := map[int64][]model.Reaction{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := q.db.QueryContext(ctx, `SELECT announcement_id, name, COUNT(*), SUM(CASE WHEN account_id = $1 THEN 1 ELSE 0 END)
		FROM announcement_reactions WHERE announcement_id IN (`+placeholders(2, len(ids))+`)
		GROUP BY announcement_id, name ORDER BY MIN(created_at), name`, append([]any{viewer}, int64Args(ids)...)...)
	if err != nil {
		return nil, fmt.Errorf("store: announcement reactions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, mine int64
		var r model.Reaction
		if err := rows.Scan(&id, &r.Name, &r.Count, &mine); err != nil {
			return nil, fmt.Errorf("store: announcement reactions: %w", err)
		}
		r.Me = mine > 0
		out[id] = append(out[id], r)
	}
	return out, rows.Err()
}
