package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

const scheduledColumns = `id, account_id, scheduled_at, params, created_at`

func scanScheduled(row scanner) (*model.ScheduledStatus, error) {
	var s model.ScheduledStatus
	var params string
	if err := row.Scan(&s.ID, &s.AccountID, &s.ScheduledAt, &params, &s.CreatedAt); err != nil {
		return nil, err
	}
	return &s, json.Unmarshal([]byte(params), &s.Params)
}

// InsertScheduledStatus stores a status to be posted later.
func (q Q) InsertScheduledStatus(ctx context.Context, s *model.ScheduledStatus) error {
	if s.ID == 0 {
		s.ID = q.NewID()
	}
	s.CreatedAt = time.Now().UTC()
	params, err := json.Marshal(s.Params)
	if err != nil {
		return fmt.Errorf("store: encode scheduled status: %w", err)
	}
	_, err = q.db.ExecContext(ctx, `INSERT INTO scheduled_statuses (id, account_id, scheduled_at, params, created_at) VALUES ($1, $2, $3, $4, $5)`,
		s.ID, s.AccountID, s.ScheduledAt.UTC(), string(params), s.CreatedAt)
	return wrap(err, "insert scheduled status")
}

// ScheduledStatus loads one of accountID's scheduled statuses (0: whoever's).
func (q Q) ScheduledStatus(ctx context.Context, accountID, id int64) (*model.ScheduledStatus, error) {
	s, err := scanScheduled(q.db.QueryRowContext(ctx, `SELECT `+scheduledColumns+` FROM scheduled_statuses
		WHERE id = $1 AND (account_id = $2 OR $2 = 0)`, id, accountID))
	return s, notFound(err, fmt.Sprintf("scheduled status %d", id))
}

// ScheduledStatuses lists an account's scheduled statuses, newest first.
func (q Q) ScheduledStatuses(ctx context.Context, accountID int64, p Page) ([]*model.ScheduledStatus, error) {
	var b builder
	b.where("account_id = ?", accountID)
	tail := b.page("id", p)
	rows, err := q.db.QueryContext(ctx, `SELECT `+scheduledColumns+` FROM scheduled_statuses`+b.clause()+tail, b.args...)
	if err != nil {
		return nil, fmt.Errorf("store: scheduled statuses: %w", err)
	}
	defer rows.Close()
	var out []*model.ScheduledStatus
	for rows.Next() {
		s, err := scanScheduled(rows)
		if err != nil {
			return nil, fmt.Errorf("store: scheduled statuses: %w", err)
		}
		out = append(out, s)
	}
	return ordered(p, out), rows.Err()
}

// RescheduleStatus moves a scheduled status to another time.
func (q Q) RescheduleStatus(ctx context.Context, accountID, id int64, at time.Time) error {
	res, err := q.db.ExecContext(ctx, `UPDATE scheduled_statuses SET scheduled_at = $1 WHERE id = $2 AND account_id = $3`, at.UTC(), id, accountID)
	if err != nil {
		return fmt.Errorf("store: reschedule status %d: %w", id, err)
	}
	return mustAffect(res, fmt.Sprintf("reschedule status %d", id))
}

// DeleteScheduledStatus removes one of accountID's scheduled statuses.
func (q Q) DeleteScheduledStatus(ctx context.Context, accountID, id int64) error {
	res, err := q.db.ExecContext(ctx, `DELETE FROM scheduled_statuses WHERE id = $1 AND account_id = $2`, id, accountID)
	if err != nil {
		return fmt.Errorf("store: delete scheduled status %d: %w", id, err)
	}
	return mustAffect(res, fmt.Sprintf("delete scheduled status %d", id))
}

// CountScheduledStatuses counts an account's scheduled statuses, all of them and those
// due within [dayStart, dayStart+24h).
func (q Q) CountScheduledStatuses(ctx context.Context, accountID int64, dayStart time.Time) (total, onDay int, err error) {
	err = q.db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN scheduled_at >= $2 AND scheduled_at < $3 THEN 1 ELSE 0 END), 0)
		FROM scheduled_statuses WHERE account_id = $1`, accountID, dayStart.UTC(), dayStart.UTC().Add(24*time.Hour)).Scan(&total, &onDay)
	return total, onDay, wrap(err, "count scheduled statuses")
}
