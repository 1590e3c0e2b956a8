package store

import (
	"fmt"
	"strings"
)

// Page is Mastodon's pagination window: results are always newest first.
// MaxID bounds from above; SinceID bounds from below (newest results); MinID bounds
// from below but returns the results immediately after it (oldest first, then reversed).
type Page struct {
	MaxID, SinceID, MinID int64
	Limit                 int
}

// builder assembles a WHERE clause, numbering $N placeholders as conditions are added;
// each '?' in a condition takes the next argument.
type builder struct {
	conds []string
	args  []any
}

func (b *builder) where(cond string, vals ...any) {
	for _, v := range vals {
		b.args = append(b.args, v)
		cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(b.args)), 1)
	}
	b.conds = append(b.conds, cond)
}

func (b *builder) clause() string {
	if len(b.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(b.conds, " AND ")
}

// page adds p's bounds on col and returns the ORDER BY / LIMIT tail.
func (b *builder) page(col string, p Page) string {
	if p.MaxID > 0 {
		b.where(col+" < ?", p.MaxID)
	}
	if p.SinceID > 0 {
		b.where(col+" > ?", p.SinceID)
	}
	dir := "DESC"
	if p.MinID > 0 {
		b.where(col+" > ?", p.MinID)
		dir = "ASC"
	}
	return fmt.Sprintf(" ORDER BY %s %s LIMIT %d", col, dir, p.Limit)
}

// ordered turns a min_id page (read oldest first) back into newest-first order.
func ordered[T any](p Page, xs []T) []T {
	if p.MinID > 0 {
		for i, j := 0, len(xs)-1; i < j; i, j = i+1, j-1 {
			xs[i], xs[j] = xs[j], xs[i]
		}
	}
	return xs
}

// visibleTo adds the SQL form of the visibility rule (model.Visible is its Go twin; a
// test checks that they agree): status alias s is visible to viewer (0 = anonymous).
func (b *builder) visibleTo(viewer int64) {
	if viewer == 0 {
		b.where(`s.visibility IN ('public', 'unlisted')`)
		return
	}
	b.where(`(s.visibility IN ('public', 'unlisted') OR s.account_id = ?
		OR (s.visibility = 'private' AND EXISTS (SELECT 1 FROM follows vf WHERE vf.account_id = ? AND vf.target_account_id = s.account_id))
		OR EXISTS (SELECT 1 FROM mentions vm WHERE vm.status_id = s.id AND vm.account_id = ?))`, viewer, viewer, viewer)
	b.notBlockedByAuthor(viewer)
}

// notBlockedByAuthor is model.Visible's block clause: nothing of an author who blocks the
// viewer, boosts of their statuses included (a boost shows its original).
func (b *builder) notBlockedByAuthor(viewer int64) {
	b.where(`NOT EXISTS (SELECT 1 FROM blocks vb WHERE vb.account_id = s.account_id AND vb.target_account_id = ?)`, viewer)
	b.where(`(s.reblog_of_id IS NULL OR NOT EXISTS (SELECT 1 FROM statuses vo JOIN blocks vob ON vob.account_id = vo.account_id
		WHERE vo.id = s.reblog_of_id AND vob.target_account_id = ?))`, viewer)
}

func toLower(s string) string { return strings.ToLower(s) }
