package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

const pollColumns = `p.id, p.status_id, p.account_id, p.options, p.multiple, p.hide_totals, p.expires_at, p.closed_at, p.created_at`

func scanPoll(row scanner) (*model.Poll, error) {
	var p model.Poll
	var options string
	if err := row.Scan(&p.ID, &p.StatusID, &p.AccountID, &options, &p.Multiple, &p.HideTotals, &p.ExpiresAt, &p.ClosedAt, &p.CreatedAt); err != nil {
		return nil, err
	}
	return &p, json.Unmarshal([]byte(options), &p.Options)
}

func encodeOptions(options []string) string {
	data, _ := json.Marshal(options)
	return string(data)
}

// InsertPoll stores a new poll of a status.
func (q Q) InsertPoll(ctx context.Context, p *model.Poll) error {
	if p.ID == 0 {
		p.ID = q.NewID()
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = time.Now().UTC()
	}
	_, err := q.db.ExecContext(ctx, `INSERT INTO polls (id, status_id, account_id, options, multiple, hide_totals, expires_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		p.ID, p.StatusID, p.AccountID, encodeOptions(p.Options), p.Multiple, p.HideTotals, p.ExpiresAt, p.CreatedAt)
	return wrap(err, "insert poll")
}

// UpdatePoll rewrites an edited poll's options, settings and end, and reopens it.
func (q Q) UpdatePoll(ctx context.Context, p *model.Poll) error {
	res, err := q.db.ExecContext(ctx, `UPDATE polls SET options = $1, multiple = $2, hide_totals = $3, expires_at = $4, closed_at = NULL
		WHERE id = $5`, encodeOptions(p.Options), p.Multiple, p.HideTotals, p.ExpiresAt, p.ID)
	if err != nil {
		return fmt.Errorf("store: update poll %d: %w", p.ID, err)
	}
	return mustAffect(res, fmt.Sprintf("update poll %d", p.ID))
}

// DeletePoll removes a status's poll with its votes.
func (q Q) DeletePoll(ctx context.Context, pollID int64) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM polls WHERE id = $1`, pollID)
	return wrap(err, "delete poll %d", pollID)
}

// DeletePollVotes forgets every vote of a poll (its options changed).
func (q Q) DeletePollVotes(ctx context.Context, pollID int64) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM poll_votes WHERE poll_id = $1`, pollID)
	return wrap(err, "delete votes of poll %d", pollID)
}

// PollByID loads one poll.
func (q Q) PollByID(ctx context.Context, id int64) (*model.Poll, error) {
	p, err := scanPoll(q.db.QueryRowContext(ctx, `SELECT `+pollColumns+` FROM polls p WHERE p.id = $1`, id))
	return p, notFound(err, fmt.Sprintf("poll %d", id))
}

// PollsByStatusIDs loads the polls of the statuses, keyed by status id.
func (q Q) PollsByStatusIDs(ctx context.Context, statusIDs []int64) (map[int64]*model.Poll, error) {
	out := map[int64]*model.Poll{}
	if len(statusIDs) == 0 {
		return out, nil
	}
	rows, err := q.db.QueryContext(ctx, `SELECT `+pollColumns+` FROM polls p WHERE p.status_id IN (`+placeholders(1, len(statusIDs))+`)`,
		int64Args(statusIDs)...)
	if err != nil {
		return nil, fmt.Errorf("store: polls of statuses: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanPoll(rows)
		if err != nil {
			return nil, fmt.Errorf("store: polls of statuses: %w", err)
		}
		out[p.StatusID] = p
	}
	return out, rows.Err()
}

// PollTallies counts the votes of each poll, per option and in all.
func (q Q) PollTallies(ctx context.Context, polls []*model.Poll) (map[int64]*model.PollTally, error) {
	out := make(map[int64]*model.PollTally, len(polls))
	ids := make([]int64, len(polls))
	for i, p := range polls {
		ids[i] = p.ID
		out[p.ID] = &model.PollTally{PerOption: make([]int64, len(p.Options))}
	}
	if len(ids) == 0 {
		return out, nil
	}
	in := placeholders(1, len(ids))
	rows, err := q.db.QueryContext(ctx, `SELECT poll_id, choice, COUNT(*) FROM poll_votes WHERE poll_id IN (`+in+`) GROUP BY poll_id, choice`, int64Args(ids)...)
	if err != nil {
		return nil, fmt.Errorf("store: poll tallies: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var pollID, choice, n int64
		if err := rows.Scan(&pollID, &choice, &n); err != nil {
			return nil, fmt.Errorf("store: poll tallies: %w", err)
		}
		if t := out[pollID]; t != nil && choice >= 0 && int(choice) < len(t.PerOption) {
			t.PerOption[choice] += n
			t.Votes += n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	err = q.pairs(ctx, "poll voters", `SELECT poll_id, COUNT(DISTINCT account_id) FROM poll_votes WHERE poll_id IN (`+in+`) GROUP BY poll_id`,
		ids, func(pollID, n int64) { out[pollID].Voters = n })
	if err != nil {
		return nil, err
	}
	return out, q.overlayRemoteCounts(ctx, ids, out)
}

// VotesBy returns the choices accountID made in each of the polls.
func (q Q) VotesBy(ctx context.Context, accountID int64, pollIDs []int64) (map[int64][]int, error) {
	out := map[int64][]int{}
	if accountID == 0 || len(pollIDs) == 0 {
		return out, nil
	}
	rows, err := q.db.QueryContext(ctx, `SELECT poll_id, choice FROM poll_votes WHERE account_id = $1 AND poll_id IN (`+
		placeholders(2, len(pollIDs))+`) ORDER BY poll_id, choice`, append([]any{accountID}, int64Args(pollIDs)...)...)
	if err != nil {
		return nil, fmt.Errorf("store: own votes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var pollID int64
		var choice int
		if err := rows.Scan(&pollID, &choice); err != nil {
			return nil, fmt.Errorf("store: own votes: %w", err)
		}
		out[pollID] = append(out[pollID], choice)
	}
	return out, rows.Err()
}

// InsertVote records one choice of a voter; the same choice twice is ErrConflict.
func (q Q) InsertVote(ctx context.Context, pollID, accountID int64, choice int) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO poll_votes (id, poll_id, account_id, choice, created_at) VALUES ($1, $2, $3, $4, $5)`,
		q.NewID(), pollID, accountID, choice, time.Now().UTC())
	if isUniqueViolation(err) {
		return fmt.Errorf("store: vote in poll %d: %w", pollID, ErrConflict)
	}
	return wrap(err, "vote in poll %d", pollID)
}

// ClosePoll marks an ended poll as announced; it reports false when it already was,
// so the end is announced once however often the job runs.
func (q Q) ClosePoll(ctx context.Context, pollID int64, at time.Time) (bool, error) {
	res, err := q.db.ExecContext(ctx, `UPDATE polls SET closed_at = $1 WHERE id = $2 AND closed_at IS NULL`, at, pollID)
	if err != nil {
		return false, fmt.Errorf("store: close poll %d: %w", pollID, err)
	}
	n, err := res.RowsAffected()
	return n > 0, wrap(err, "close poll %d", pollID)
}

// PollVoterIDs lists the distinct local accounts that voted in a poll.
func (q Q) PollVoterIDs(ctx context.Context, pollID int64) ([]int64, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT DISTINCT v.account_id FROM poll_votes v JOIN accounts a ON a.id = v.account_id
		WHERE v.poll_id = $1 AND a.domain = '' ORDER BY v.account_id`, pollID)
	return scanIDColumn(rows, err, "poll voters")
}

// scanIDColumn reads a one-column id result.
func scanIDColumn(rows *sql.Rows, err error, what string) ([]int64, error) {
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
