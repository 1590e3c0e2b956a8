package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

const filterColumns = `f.id, f.account_id, f.title, f.context, f.action, f.expires_at, f.created_at`

func scanFilter(row scanner) (*model.Filter, error) {
	var f model.Filter
	var contexts string
	err := row.Scan(&f.ID, &f.AccountID, &f.Title, &contexts, &f.Action, &f.ExpiresAt, &f.CreatedAt)
	for _, c := range strings.Split(contexts, ",") {
		if c != "" {
			f.Context = append(f.Context, model.FilterContext(c))
		}
	}
	return &f, err
}

func contextColumn(cs []model.FilterContext) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = string(c)
	}
	return strings.Join(parts, ",")
}

// InsertFilter stores a new filter with its keywords, assigning the ids.
func (q Q) InsertFilter(ctx context.Context, f *model.Filter) error {
	f.ID, f.CreatedAt = q.NewID(), time.Now().UTC()
	_, err := q.db.ExecContext(ctx, `INSERT INTO filters (id, account_id, title, context, action, expires_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, f.ID, f.AccountID, f.Title, contextColumn(f.Context), f.Action, f.ExpiresAt, f.CreatedAt)
	if err != nil {
		return fmt.Errorf("store: insert filter: %w", err)
	}
	for _, k := range f.Keywords {
		k.FilterID = f.ID
		if err := q.InsertFilterKeyword(ctx, k); err != nil {
			return err
		}
	}
	return nil
}

// UpdateFilter saves a filter's own fields (not its keywords or statuses).
func (q Q) UpdateFilter(ctx context.Context, f *model.Filter) error {
	_, err := q.db.ExecContext(ctx, `UPDATE filters SET title = $1, context = $2, action = $3, expires_at = $4 WHERE id = $5`,
		f.Title, contextColumn(f.Context), f.Action, f.ExpiresAt, f.ID)
	return wrap(err, "update filter %d", f.ID)
}

// DeleteFilter removes one of owner's filters with its keywords and statuses.
func (q Q) DeleteFilter(ctx context.Context, owner, filterID int64) error {
	res, err := q.db.ExecContext(ctx, `DELETE FROM filters WHERE id = $1 AND account_id = $2`, filterID, owner)
	if err != nil {
		return fmt.Errorf("store: delete filter %d: %w", filterID, err)
	}
	return mustAffect(res, fmt.Sprintf("delete filter %d", filterID))
}

// OwnedFilter loads one of owner's filters with its keywords and statuses.
func (q Q) OwnedFilter(ctx context.Context, owner, filterID int64) (*model.Filter, error) {
	list, err := q.filters(ctx, ` WHERE f.id = $1 AND f.account_id = $2`, filterID, owner)
	if err == nil && len(list) == 0 {
		err = fmt.Errorf("store: filter %d: %w", filterID, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return list[0], nil
}

// FiltersOf lists owner's filters, oldest first, with their keywords and statuses.
func (q Q) FiltersOf(ctx context.Context, owner int64) ([]*model.Filter, error) {
	return q.filters(ctx, ` WHERE f.account_id = $1 ORDER BY f.id`, owner)
}

// ActiveFilters lists owner's filters that have not expired by now.
func (q Q) ActiveFilters(ctx context.Context, owner int64, now time.Time) ([]*model.Filter, error) {
	return q.filters(ctx, ` WHERE f.account_id = $1 AND (f.expires_at IS NULL OR f.expires_at > $2) ORDER BY f.id`, owner, now.UTC())
}

// filters loads filters and then, in two more queries, all their keywords and statuses.
func (q Q) filters(ctx context.Context, tail string, args ...any) ([]*model.Filter, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+filterColumns+` FROM filters f`+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("store: filters: %w", err)
	}
	out := []*model.Filter{}
	byID := map[int64]*model.Filter{}
	for rows.Next() {
		f, err := scanFilter(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: filters: %w", err)
		}
		out, byID[f.ID] = append(out, f), f
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, wrap(err, "filters")
	}
	return out, q.attachFilterParts(ctx, byID)
}

func (q Q) attachFilterParts(ctx context.Context, byID map[int64]*model.Filter) error {
	ids := make([]int64, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	in := ` WHERE filter_id IN (` + placeholders(1, len(ids)) + `) ORDER BY id`
	keywords, err := q.filterKeywords(ctx, in, int64Args(ids)...)
	if err != nil {
		return err
	}
	for _, k := range keywords {
		byID[k.FilterID].Keywords = append(byID[k.FilterID].Keywords, k)
	}
	statuses, err := q.filterStatuses(ctx, in, int64Args(ids)...)
	for _, s := range statuses {
		byID[s.FilterID].Statuses = append(byID[s.FilterID].Statuses, s)
	}
	return err
}

const keywordColumns = `id, filter_id, keyword, whole_word, created_at`

func (q Q) filterKeywords(ctx context.Context, tail string, args ...any) ([]*model.FilterKeyword, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+keywordColumns+` FROM filter_keywords`+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("store: filter keywords: %w", err)
	}
	defer rows.Close()
	out := []*model.FilterKeyword{}
	for rows.Next() {
		var k model.FilterKeyword
		if err := rows.Scan(&k.ID, &k.FilterID, &k.Keyword, &k.WholeWord, &k.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: filter keywords: %w", err)
		}
		out = append(out, &k)
	}
	return out, rows.Err()
}

// InsertFilterKeyword adds a keyword to its filter, assigning its id.
func (q Q) InsertFilterKeyword(ctx context.Context, k *model.FilterKeyword) error {
	k.ID, k.CreatedAt = q.NewID(), time.Now().UTC()
	_, err := q.db.ExecContext(ctx, `INSERT INTO filter_keywords (id, filter_id, keyword, whole_word, created_at) VALUES ($1, $2, $3, $4, $5)`,
		k.ID, k.FilterID, k.Keyword, k.WholeWord, k.CreatedAt)
	return wrap(err, "insert filter keyword")
}

// UpdateFilterKeyword saves a keyword's text and whole-word setting.
func (q Q) UpdateFilterKeyword(ctx context.Context, k *model.FilterKeyword) error {
	_, err := q.db.ExecContext(ctx, `UPDATE filter_keywords SET keyword = $1, whole_word = $2 WHERE id = $3`, k.Keyword, k.WholeWord, k.ID)
	return wrap(err, "update filter keyword %d", k.ID)
}

// DeleteFilterKeyword removes a keyword.
func (q Q) DeleteFilterKeyword(ctx context.Context, keywordID int64) error {
	res, err := q.db.ExecContext(ctx, `DELETE FROM filter_keywords WHERE id = $1`, keywordID)
	if err != nil {
		return fmt.Errorf("store: delete filter keyword %d: %w", keywordID, err)
	}
	return mustAffect(res, fmt.Sprintf("delete filter keyword %d", keywordID))
}

// OwnedFilterKeyword loads a keyword of one of owner's filters.
func (q Q) OwnedFilterKeyword(ctx context.Context, owner, keywordID int64) (*model.FilterKeyword, error) {
	list, err := q.filterKeywords(ctx, ` WHERE id = $1 AND filter_id IN (SELECT id FROM filters WHERE account_id = $2)`, keywordID, owner)
	if err == nil && len(list) == 0 {
		err = fmt.Errorf("store: filter keyword %d: %w", keywordID, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return list[0], nil
}

func (q Q) filterStatuses(ctx context.Context, tail string, args ...any) ([]*model.FilterStatus, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT id, filter_id, status_id, created_at FROM filter_statuses`+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("store: filter statuses: %w", err)
	}
	defer rows.Close()
	out := []*model.FilterStatus{}
	for rows.Next() {
		var s model.FilterStatus
		if err := rows.Scan(&s.ID, &s.FilterID, &s.StatusID, &s.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: filter statuses: %w", err)
		}
		out = append(out, &s)
	}
	return out, rows.Err()
}

// InsertFilterStatus adds a status to a filter; the same status twice is ErrConflict.
func (q Q) InsertFilterStatus(ctx context.Context, s *model.FilterStatus) error {
	s.ID, s.CreatedAt = q.NewID(), time.Now().UTC()
	_, err := q.db.ExecContext(ctx, `INSERT INTO filter_statuses (id, filter_id, status_id, created_at) VALUES ($1, $2, $3, $4)`,
		s.ID, s.FilterID, s.StatusID, s.CreatedAt)
	if isUniqueViolation(err) {
		return fmt.Errorf("store: filter %d status %d: %w", s.FilterID, s.StatusID, ErrConflict)
	}
	return wrap(err, "insert filter status")
}

// DeleteFilterStatus removes a status from its filter.
func (q Q) DeleteFilterStatus(ctx context.Context, id int64) error {
	res, err := q.db.ExecContext(ctx, `DELETE FROM filter_statuses WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("store: delete filter status %d: %w", id, err)
	}
	return mustAffect(res, fmt.Sprintf("delete filter status %d", id))
}

// OwnedFilterStatus loads a status entry of one of owner's filters.
func (q Q) OwnedFilterStatus(ctx context.Context, owner, id int64) (*model.FilterStatus, error) {
	list, err := q.filterStatuses(ctx, ` WHERE id = $1 AND filter_id IN (SELECT id FROM filters WHERE account_id = $2)`, id, owner)
	if err == nil && len(list) == 0 {
		err = fmt.Errorf("store: filter status %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return list[0], nil
}
