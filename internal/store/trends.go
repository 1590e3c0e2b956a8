package store

import (
	"context"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

// TagUse is one account's use of a tag in a period: its newest status with the tag.
type TagUse struct {
	TagID, AccountID, LastStatusID int64
}

// RecentTagUses lists, per tag and author, the newest public original status carrying the
// tag among those with ids above since, by accounts that are not suspended.
func (q Q) RecentTagUses(ctx context.Context, since int64) ([]TagUse, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT st.tag_id, s.account_id, MAX(s.id) FROM status_tags st
		JOIN statuses s ON s.id = st.status_id JOIN accounts a ON a.id = s.account_id
		WHERE st.status_id > $1 AND s.visibility = 'public' AND s.reblog_of_id IS NULL AND a.suspended_at IS NULL
		GROUP BY st.tag_id, s.account_id`, since)
	if err != nil {
		return nil, fmt.Errorf("store: recent tag uses: %w", err)
	}
	defer rows.Close()
	var out []TagUse
	for rows.Next() {
		var u TagUse
		if err := rows.Scan(&u.TagID, &u.AccountID, &u.LastStatusID); err != nil {
			return nil, fmt.Errorf("store: recent tag uses: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// Interaction is a favourite or boost of a status by AccountID: AtID is the favourite's or
// boost's (time-ordered) id.
type Interaction struct {
	StatusID, AccountID, AtID int64
	Boost                     bool
}

// trendCandidate is the condition on a status that may trend: public, original, by a
// discoverable account that is not suspended, written after a given id.
const trendCandidate = `s.visibility = 'public' AND s.reblog_of_id IS NULL AND s.id > $2
	AND EXISTS (SELECT 1 FROM accounts a WHERE a.id = s.account_id AND a.discoverable AND a.suspended_at IS NULL)`

// RecentInteractions lists the favourites and boosts with ids above since, by others than
// the author, of trend candidates written after statusSince.
func (q Q) RecentInteractions(ctx context.Context, since, statusSince int64) ([]Interaction, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT f.status_id, f.account_id, f.id, 0 FROM favourites f JOIN statuses s ON s.id = f.status_id
		WHERE f.id > $1 AND f.account_id <> s.account_id AND `+trendCandidate+`
		UNION ALL SELECT r.reblog_of_id, r.account_id, r.id, 1 FROM statuses r JOIN statuses s ON s.id = r.reblog_of_id
		WHERE r.id > $1 AND r.account_id <> s.account_id AND `+trendCandidate, since, statusSince)
	if err != nil {
		return nil, fmt.Errorf("store: recent interactions: %w", err)
	}
	defer rows.Close()
	var out []Interaction
	for rows.Next() {
		var i Interaction
		var boost int
		if err := rows.Scan(&i.StatusID, &i.AccountID, &i.AtID, &boost); err != nil {
			return nil, fmt.Errorf("store: recent interactions: %w", err)
		}
		i.Boost = boost == 1
		out = append(out, i)
	}
	return out, rows.Err()
}

// ReplaceTrends swaps kind's scores for a new computation's.
func (q Q) ReplaceTrends(ctx context.Context, kind string, scores map[int64]float64, at time.Time) error {
	if _, err := q.db.ExecContext(ctx, `DELETE FROM trends WHERE kind = $1`, kind); err != nil {
		return fmt.Errorf("store: clear trends: %w", err)
	}
	for target, score := range scores {
		if _, err := q.db.ExecContext(ctx, `INSERT INTO trends (kind, target_id, score, computed_at) VALUES ($1, $2, $3, $4)`,
			kind, target, score, at); err != nil {
			return fmt.Errorf("store: insert trend: %w", err)
		}
	}
	return nil
}

// trendFilter selects kind's trends that may show: a disallowed target never does; with
// review required, only allowed ones do.
func trendFilter(kind string, requireReview bool) *builder {
	b := &builder{}
	b.where("tr.kind = ?", kind)
	b.where(`NOT EXISTS (SELECT 1 FROM trend_reviews rv WHERE rv.kind = tr.kind AND rv.target_id = tr.target_id AND rv.allowed = ?)`, false)
	if requireReview {
		b.where(`EXISTS (SELECT 1 FROM trend_reviews rv WHERE rv.kind = tr.kind AND rv.target_id = tr.target_id AND rv.allowed = ?)`, true)
	}
	return b
}

// TrendingTags lists the trending tags, highest score first.
func (q Q) TrendingTags(ctx context.Context, requireReview bool, limit, offset int) ([]*model.Tag, error) {
	b := trendFilter(model.TrendTag, requireReview)
	rows, err := q.db.QueryContext(ctx, `SELECT t.id, t.name, t.created_at FROM trends tr JOIN tags t ON t.id = tr.target_id`+
		b.clause()+fmt.Sprintf(` ORDER BY tr.score DESC, t.id DESC LIMIT %d OFFSET %d`, limit, offset), b.args...)
	if err != nil {
		return nil, fmt.Errorf("store: trending tags: %w", err)
	}
	defer rows.Close()
	var out []*model.Tag
	for rows.Next() {
		var t model.Tag
		if err := rows.Scan(&t.ID, &t.Name, &t.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: trending tags: %w", err)
		}
		out = append(out, &t)
	}
	return out, rows.Err()
}

// TrendingStatuses lists the trending statuses that are still public, by accounts still not
// suspended, highest score first.
func (q Q) TrendingStatuses(ctx context.Context, requireReview bool, limit, offset int) ([]*model.Status, error) {
	b := trendFilter(model.TrendStatus, requireReview)
	b.where(`s.visibility = 'public' AND EXISTS (SELECT 1 FROM accounts a WHERE a.id = s.account_id AND a.suspended_at IS NULL)`)
	return q.statuses(ctx, "trending statuses", ` JOIN trends tr ON tr.target_id = s.id`+b.clause()+
		fmt.Sprintf(` ORDER BY tr.score DESC, s.id DESC LIMIT %d OFFSET %d`, limit, offset), b.args...)
}

// Trends lists kind's scored targets with their reviews, highest score first, for admins.
func (q Q) Trends(ctx context.Context, kind string) ([]model.Trend, error) {
	label := `(SELECT t.name FROM tags t WHERE t.id = tr.target_id)`
	if kind == model.TrendStatus {
		label = `(SELECT s.uri FROM statuses s WHERE s.id = tr.target_id)`
	}
	rows, err := q.db.QueryContext(ctx, `SELECT tr.target_id, COALESCE(`+label+`, ''), tr.score, rv.allowed FROM trends tr
		LEFT JOIN trend_reviews rv ON rv.kind = tr.kind AND rv.target_id = tr.target_id
		WHERE tr.kind = $1 ORDER BY tr.score DESC, tr.target_id DESC`, kind)
	if err != nil {
		return nil, fmt.Errorf("store: trends: %w", err)
	}
	defer rows.Close()
	var out []model.Trend
	for rows.Next() {
		t := model.Trend{Kind: kind}
		if err := rows.Scan(&t.TargetID, &t.Label, &t.Score, &t.Allowed); err != nil {
			return nil, fmt.Errorf("store: trends: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// ReviewTrend records the admins' verdict on a tag or status, replacing any earlier one.
func (q Q) ReviewTrend(ctx context.Context, kind string, targetID int64, allowed bool) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO trend_reviews (kind, target_id, allowed, reviewed_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (kind, target_id) DO UPDATE SET allowed = excluded.allowed, reviewed_at = excluded.reviewed_at`,
		kind, targetID, allowed, time.Now().UTC())
	return wrap(err, "review trend %s %d", kind, targetID)
}

// PruneTrendReviews forgets the reviews of tags and statuses that no longer exist.
func (q Q) PruneTrendReviews(ctx context.Context) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM trend_reviews WHERE
		(kind = $1 AND NOT EXISTS (SELECT 1 FROM statuses s WHERE s.id = trend_reviews.target_id))
		OR (kind = $2 AND NOT EXISTS (SELECT 1 FROM tags t WHERE t.id = trend_reviews.target_id))`, model.TrendStatus, model.TrendTag)
	return wrap(err, "prune trend reviews")
}
