package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

// InsertReport stores a report.
func (q Q) InsertReport(ctx context.Context, r *model.Report) error {
	r.ID, r.CreatedAt = q.NewID(), time.Now().UTC()
	_, err := q.db.ExecContext(ctx, `INSERT INTO reports (id, account_id, target_account_id, status_ids, rule_ids, comment,
		category, forwarded, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		r.ID, r.AccountID, r.TargetAccountID, joinIDs(r.StatusIDs), joinIDs(r.RuleIDs), r.Comment, r.Category, r.Forwarded, r.CreatedAt)
	return wrap(err, "insert report")
}

// ReportByID loads a report.
func (q Q) ReportByID(ctx context.Context, id int64) (*model.Report, error) {
	var r model.Report
	var statuses, rules string
	err := q.db.QueryRowContext(ctx, `SELECT id, account_id, target_account_id, status_ids, rule_ids, comment, category,
		forwarded, action_taken_at, created_at FROM reports WHERE id = $1`, id).Scan(&r.ID, &r.AccountID, &r.TargetAccountID,
		&statuses, &rules, &r.Comment, &r.Category, &r.Forwarded, &r.ActionTakenAt, &r.CreatedAt)
	r.StatusIDs, r.RuleIDs = splitIDs(statuses), splitIDs(rules)
	return &r, notFound(err, "report")
}

// StatusesOf returns those of ids that are statuses by accountID.
func (q Q) StatusesOf(ctx context.Context, accountID int64, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := q.db.QueryContext(ctx, `SELECT id FROM statuses WHERE account_id = $1 AND id IN (`+placeholders(2, len(ids))+`)`,
		append([]any{accountID}, int64Args(ids)...)...)
	if err != nil {
		return nil, wrap(err, "statuses of account")
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, wrap(err, "statuses of account")
		}
		out[id] = true
	}
	return out, wrap(rows.Err(), "statuses of account")
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, v := range ids {
		parts[i] = strconv.FormatInt(v, 10)
	}
	return strings.Join(parts, " ")
}

func splitIDs(s string) []int64 {
	var out []int64
	for _, f := range strings.Fields(s) {
		if v, err := strconv.ParseInt(f, 10, 64); err == nil {
			out = append(out, v)
		}
	}
	return out
}
