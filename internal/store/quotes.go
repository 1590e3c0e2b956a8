package store

import (
	"context"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

const quoteColumns = `qt.id, qt.status_id, qt.account_id, qt.quoted_status_id, qt.quoted_account_id, qt.state, qt.created_at`

func scanQuote(row scanner) (*model.Quote, error) {
	var qt model.Quote
	err := row.Scan(&qt.ID, &qt.StatusID, &qt.AccountID, &qt.QuotedStatusID, &qt.QuotedAccountID, &qt.State, &qt.CreatedAt)
	return &qt, err
}

// InsertQuote records that a status quotes another.
func (q Q) InsertQuote(ctx context.Context, qt *model.Quote) error {
	if qt.ID == 0 {
		qt.ID = q.NewID()
	}
	qt.CreatedAt = time.Now().UTC()
	_, err := q.db.ExecContext(ctx, `INSERT INTO quotes (id, status_id, account_id, quoted_status_id, quoted_account_id, state, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, qt.ID, qt.StatusID, qt.AccountID, qt.QuotedStatusID, qt.QuotedAccountID, qt.State, qt.CreatedAt)
	return wrap(err, "insert quote")
}

// QuotesByStatusIDs loads the quotes the statuses make, keyed by quoting status id.
func (q Q) QuotesByStatusIDs(ctx context.Context, statusIDs []int64) (map[int64]*model.Quote, error) {
	out := map[int64]*model.Quote{}
	if len(statusIDs) == 0 {
		return out, nil
	}
	rows, err := q.db.QueryContext(ctx, `SELECT `+quoteColumns+` FROM quotes qt WHERE qt.status_id IN (`+placeholders(1, len(statusIDs))+`)`,
		int64Args(statusIDs)...)
	if err != nil {
		return nil, fmt.Errorf("store: quotes of statuses: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		qt, err := scanQuote(rows)
		if err != nil {
			return nil, fmt.Errorf("store: quotes of statuses: %w", err)
		}
		out[qt.StatusID] = qt
	}
	return out, rows.Err()
}

// SetQuoteState changes a quote's state.
func (q Q) SetQuoteState(ctx context.Context, quoteID int64, state string) error {
	_, err := q.db.ExecContext(ctx, `UPDATE quotes SET state = $1 WHERE id = $2`, state, quoteID)
	return wrap(err, "set quote state")
}

// QuoteCounts counts the accepted quotes of each status.
func (q Q) QuoteCounts(ctx context.Context, statusIDs []int64) (map[int64]int64, error) {
	out := map[int64]int64{}
	err := q.pairs(ctx, "quote counts", `SELECT quoted_status_id, COUNT(*) FROM quotes WHERE quoted_status_id IN (`+
		placeholders(1, len(statusIDs))+`) AND state = 'accepted' GROUP BY quoted_status_id`, statusIDs, func(id, n int64) { out[id] = n })
	return out, err
}

// QuotingStatuses lists the statuses that quote statusID with its author's consent,
// newest quote first, with the quote ids Mastodon pages by.
func (q Q) QuotingStatuses(ctx context.Context, statusID int64, p Page) ([]*model.Status, []int64, error) {
	var b builder
	b.where("qt.quoted_status_id = ?", statusID)
	b.where("qt.state = 'accepted'")
	tail := b.page("qt.id", p)
	rows, err := q.db.QueryContext(ctx, `SELECT qt.id, `+statusColumns+` FROM quotes qt JOIN statuses s ON s.id = qt.status_id`+b.clause()+tail, b.args...)
	if err != nil {
		return nil, nil, fmt.Errorf("store: quotes of status %d: %w", statusID, err)
	}
	defer rows.Close()
	var out []*model.Status
	var cursors []int64
	for rows.Next() {
		var cursor int64
		s, err := scanStatus(rowPrefix{rows, &cursor})
		if err != nil {
			return nil, nil, fmt.Errorf("store: quotes of status %d: %w", statusID, err)
		}
		out, cursors = append(out, s), append(cursors, cursor)
	}
	return ordered(p, out), ordered(p, cursors), rows.Err()
}

// LocalQuotesOf lists the consented quotes of statusID made by local accounts.
func (q Q) LocalQuotesOf(ctx context.Context, statusID int64) ([]*model.Quote, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+quoteColumns+` FROM quotes qt JOIN accounts a ON a.id = qt.account_id
		WHERE qt.quoted_status_id = $1 AND qt.state = 'accepted' AND a.domain = '' ORDER BY qt.id`, statusID)
	if err != nil {
		return nil, fmt.Errorf("store: local quotes of status %d: %w", statusID, err)
	}
	defer rows.Close()
	var out []*model.Quote
	for rows.Next() {
		qt, err := scanQuote(rows)
		if err != nil {
			return nil, fmt.Errorf("store: local quotes of status %d: %w", statusID, err)
		}
		out = append(out, qt)
	}
	return out, rows.Err()
}

// SetQuotePolicy records who may quote a status.
func (q Q) SetQuotePolicy(ctx context.Context, statusID int64, policy string) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO status_quote_policies (status_id, policy) VALUES ($1, $2)
		ON CONFLICT (status_id) DO UPDATE SET policy = excluded.policy`, statusID, policy)
	return wrap(err, "set quote policy")
}

// QuotePolicies loads the quote policies chosen for the statuses; absent ones were not chosen.
func (q Q) QuotePolicies(ctx context.Context, statusIDs []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(statusIDs) == 0 {
		return out, nil
	}
	rows, err := q.db.QueryContext(ctx, `SELECT status_id, policy FROM status_quote_policies WHERE status_id IN (`+
		placeholders(1, len(statusIDs))+`)`, int64Args(statusIDs)...)
	if err != nil {
		return nil, fmt.Errorf("store: quote policies: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var policy string
		if err := rows.Scan(&id, &policy); err != nil {
			return nil, fmt.Errorf("store: quote policies: %w", err)
		}
		out[id] = policy
	}
	return out, rows.Err()
}
