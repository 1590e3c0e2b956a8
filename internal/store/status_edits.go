package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

// InsertStatusEdit records one version of a status.
func (q Q) InsertStatusEdit(ctx context.Context, e *model.StatusEdit) error {
	if e.ID == 0 {
		e.ID = q.NewID()
	}
	var poll *string
	if e.PollOptions != nil {
		s := encodeOptions(e.PollOptions)
		poll = &s
	}
	_, err := q.db.ExecContext(ctx, `INSERT INTO status_edits (id, status_id, account_id, text, content, spoiler_text, sensitive, poll_options, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		e.ID, e.StatusID, e.AccountID, e.Text, e.Content, e.SpoilerText, e.Sensitive, poll, e.CreatedAt)
	return wrap(err, "insert edit of status %d", e.StatusID)
}

// StatusEdits lists a status's recorded versions, oldest first.
func (q Q) StatusEdits(ctx context.Context, statusID int64) ([]*model.StatusEdit, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT id, status_id, account_id, text, content, spoiler_text, sensitive, poll_options, created_at
		FROM status_edits WHERE status_id = $1 ORDER BY id`, statusID)
	if err != nil {
		return nil, fmt.Errorf("store: edits of status %d: %w", statusID, err)
	}
	defer rows.Close()
	var out []*model.StatusEdit
	for rows.Next() {
		var e model.StatusEdit
		var poll *string
		if err := rows.Scan(&e.ID, &e.StatusID, &e.AccountID, &e.Text, &e.Content, &e.SpoilerText, &e.Sensitive, &poll, &e.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: edits of status %d: %w", statusID, err)
		}
		if poll != nil {
			if err := json.Unmarshal([]byte(*poll), &e.PollOptions); err != nil {
				return nil, fmt.Errorf("store: edits of status %d: %w", statusID, err)
			}
		}
		out = append(out, &e)
	}
	return out, rows.Err()
}

// StatusEdit is what UpdateStatusText writes: the new text and what was found in it.
type StatusEdit struct {
	Status        *model.Status // with the new Text, Content, SpoilerText, Sensitive, Language, EditedAt
	NewMentionIDs []int64       // mentions the edit adds; earlier ones are kept, as Mastodon keeps them
	Tags          []string
	SearchText    string
}

// UpdateStatusText saves an edited status's text, its tags and its search entry.
func (q Q) UpdateStatusText(ctx context.Context, e StatusEdit) error {
	s := e.Status
	res, err := q.db.ExecContext(ctx, `UPDATE statuses SET text = $1, content = $2, spoiler_text = $3, sensitive = $4, language = $5, edited_at = $6
		WHERE id = $7`, s.Text, s.Content, s.SpoilerText, s.Sensitive, s.Language, s.EditedAt, s.ID)
	if err != nil {
		return fmt.Errorf("store: edit status %d: %w", s.ID, err)
	}
	if err := mustAffect(res, fmt.Sprintf("edit status %d", s.ID)); err != nil {
		return err
	}
	if err := q.insertMentions(ctx, s.ID, e.NewMentionIDs); err != nil {
		return err
	}
	if _, err := q.db.ExecContext(ctx, `DELETE FROM status_tags WHERE status_id = $1`, s.ID); err != nil {
		return fmt.Errorf("store: retag status %d: %w", s.ID, err)
	}
	if err := q.insertStatusTags(ctx, s.ID, e.Tags); err != nil {
		return err
	}
	if err := q.unindexStatus(ctx, s.ID); err != nil {
		return err
	}
	return q.indexStatus(ctx, s.ID, e.SearchText)
}

// LocalInteractors lists the local accounts that boosted or favourited a status.
func (q Q) LocalInteractors(ctx context.Context, statusID int64) ([]int64, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT x.account_id FROM (
			SELECT account_id FROM statuses WHERE reblog_of_id = $1
			UNION SELECT account_id FROM favourites WHERE status_id = $1) x
		JOIN accounts a ON a.id = x.account_id WHERE a.domain = '' ORDER BY x.account_id`, statusID)
	return scanIDColumn(rows, err, "interactors")
}

// PinStatus pins a status to its author's profile; pinning twice is harmless.
func (q Q) PinStatus(ctx context.Context, accountID, statusID int64) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO status_pins (id, account_id, status_id, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (account_id, status_id) DO NOTHING`, q.NewID(), accountID, statusID, time.Now().UTC())
	return wrap(err, "pin status %d", statusID)
}

// UnpinStatus removes a pin, if there is one.
func (q Q) UnpinStatus(ctx context.Context, accountID, statusID int64) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM status_pins WHERE account_id = $1 AND status_id = $2`, accountID, statusID)
	return wrap(err, "unpin status %d", statusID)
}

// CountPins counts an account's pinned statuses.
func (q Q) CountPins(ctx context.Context, accountID int64) (int, error) {
	var n int
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM status_pins WHERE account_id = $1`, accountID).Scan(&n)
	return n, wrap(err, "count pins")
}
