package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

func scanAnnualReport(row scanner) (*model.AnnualReport, error) {
	var r model.AnnualReport
	var data *string
	if err := row.Scan(&r.AccountID, &r.Year, &r.SchemaVersion, &data, &r.ViewedAt, &r.CreatedAt); err != nil {
		return nil, err
	}
	if data != nil {
		r.Data = &model.AnnualReportData{}
		if err := json.Unmarshal([]byte(*data), r.Data); err != nil {
			return nil, err
		}
	}
	return &r, nil
}

const annualReportColumns = `account_id, year, schema_version, data, viewed_at, created_at`

// AnnualReport loads a member's report (or pending report) for a year.
func (q Q) AnnualReport(ctx context.Context, accountID int64, year int) (*model.AnnualReport, error) {
	r, err := scanAnnualReport(q.db.QueryRowContext(ctx, `SELECT `+annualReportColumns+` FROM annual_reports
		WHERE account_id = $1 AND year = $2`, accountID, year))
	return r, notFound(err, fmt.Sprintf("annual report %d of %d", year, accountID))
}

// AnnualReports lists a member's generated reports, oldest year first.
func (q Q) AnnualReports(ctx context.Context, accountID int64) ([]*model.AnnualReport, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+annualReportColumns+` FROM annual_reports
		WHERE account_id = $1 AND data IS NOT NULL ORDER BY year`, accountID)
	if err != nil {
		return nil, fmt.Errorf("store: annual reports: %w", err)
	}
	defer rows.Close()
	var out []*model.AnnualReport
	for rows.Next() {
		r, err := scanAnnualReport(rows)
		if err != nil {
			return nil, fmt.Errorf("store: annual reports: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// StartAnnualReport records that a report is being generated; it reports false when a
// report (or its generation) already exists.
func (q Q) StartAnnualReport(ctx context.Context, accountID int64, year, schema int) (bool, error) {
	res, err := q.db.ExecContext(ctx, `INSERT INTO annual_reports (account_id, year, schema_version, created_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (account_id, year) DO NOTHING`, accountID, year, schema, time.Now().UTC())
	if err != nil {
		return false, fmt.Errorf("store: start annual report: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// FinishAnnualReport stores a generated report's data.
func (q Q) FinishAnnualReport(ctx context.Context, accountID int64, year int, data *model.AnnualReportData) error {
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	res, err := q.db.ExecContext(ctx, `UPDATE annual_reports SET data = $1 WHERE account_id = $2 AND year = $3`, string(b), accountID, year)
	if err != nil {
		return fmt.Errorf("store: finish annual report: %w", err)
	}
	return mustAffect(res, "finish annual report")
}

// MarkAnnualReportViewed records that the member has seen a generated report.
func (q Q) MarkAnnualReportViewed(ctx context.Context, accountID int64, year int) error {
	res, err := q.db.ExecContext(ctx, `UPDATE annual_reports SET viewed_at = $1 WHERE account_id = $2 AND year = $3
		AND data IS NOT NULL`, time.Now().UTC(), accountID, year)
	if err != nil {
		return fmt.Errorf("store: mark annual report viewed: %w", err)
	}
	return mustAffect(res, "mark annual report viewed")
}

// StatusCounts are an account's statuses in a time range, by kind.
type StatusCounts struct {
	Total, Reblogs, Replies int64
}

// CountStatusesBetween counts accountID's statuses created in [from, to).
func (q Q) CountStatusesBetween(ctx context.Context, accountID int64, from, to time.Time) (StatusCounts, error) {
	var c StatusCounts
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN reblog_of_id IS NOT NULL THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN in_reply_to_id IS NOT NULL THEN 1 ELSE 0 END), 0)
		FROM statuses WHERE account_id = $1 AND created_at >= $2 AND created_at < $3`, accountID, from, to).
		Scan(&c.Total, &c.Reblogs, &c.Replies)
	return c, wrap(err, "count statuses of %d", accountID)
}

// CountNewFollowersBetween counts the follows of accountID made in [from, to).
func (q Q) CountNewFollowersBetween(ctx context.Context, accountID int64, from, to time.Time) (int64, error) {
	var n int64
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM follows WHERE target_account_id = $1
		AND created_at >= $2 AND created_at < $3`, accountID, from, to).Scan(&n)
	return n, wrap(err, "count new followers of %d", accountID)
}

// TopTagBetween is the hashtag accountID used most in [from, to); ErrNotFound when none.
func (q Q) TopTagBetween(ctx context.Context, accountID int64, from, to time.Time) (*model.TagCount, error) {
	var t model.TagCount
	err := q.db.QueryRowContext(ctx, `SELECT t.name, COUNT(*) AS uses FROM status_tags st
		JOIN statuses s ON s.id = st.status_id JOIN tags t ON t.id = st.tag_id
		WHERE s.account_id = $1 AND s.created_at >= $2 AND s.created_at < $3
		GROUP BY t.id, t.name ORDER BY uses DESC, t.name LIMIT 1`, accountID, from, to).Scan(&t.Name, &t.Count)
	return &t, notFound(err, "top tag")
}

// MostReblogged is accountID's public or unlisted original of [from, to) boosted most
// (at least once); ErrNotFound when none was.
func (q Q) MostReblogged(ctx context.Context, accountID int64, from, to time.Time) (int64, error) {
	var id int64
	err := q.db.QueryRowContext(ctx, `SELECT id FROM statuses WHERE account_id = $1 AND created_at >= $2
		AND created_at < $3 AND reblog_of_id IS NULL AND visibility IN ('public', 'unlisted') AND reblogs_count > 0
		ORDER BY reblogs_count DESC, id DESC LIMIT 1`, accountID, from, to).Scan(&id)
	return id, notFound(err, "most reblogged status")
}
