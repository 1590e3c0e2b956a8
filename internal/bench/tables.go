package bench

import (
	"fmt"
	"strings"

	"github.com/tuskhq/tusk/internal/id"
)

// table is one table's rows as a stream: next fills and returns a row (the same slice
// every time; loaders use it before asking for the next) and returns nil at the end.
type table struct {
	name string
	cols []string
	rows int
	next func() []any
}

// tables lists the plan's rows table by table, parents before children.
func (p *plan) tables() []table {
	return []table{p.accountRows(), p.userRows(), p.followRows(), p.statusRows()}
}

// counter returns a function yielding 0, 1, … n-1 and then -1.
func counter(n int) func() int {
	i := -1
	return func() int {
		if i+1 >= n {
			return -1
		}
		i++
		return i
	}
}

func (p *plan) accountRows() table {
	cols := []string{"id", "username", "display_name", "uri", "url", "discoverable", "statuses_count",
		"followers_count", "following_count", "last_status_at", "created_at", "updated_at"}
	row, at := make([]any, len(cols)), counter(len(p.accounts))
	return table{name: "accounts", cols: cols, rows: len(p.accounts), next: func() []any {
		i := at()
		if i < 0 {
			return nil
		}
		a := p.accounts[i]
		var last any
		if a.LastStatusAt != nil {
			last = *a.LastStatusAt
		}
		row[0], row[1], row[2], row[3], row[4], row[5] = a.ID, a.Username, "Bench "+a.Username, a.URI, a.URL, a.Discoverable
		row[6], row[7], row[8], row[9], row[10], row[11] = a.StatusesCount, a.FollowersCount, a.FollowingCount, last, a.CreatedAt, a.UpdatedAt
		return row
	}}
}

func (p *plan) userRows() table {
	cols := []string{"id", "account_id", "email", "confirmed_at", "approved", "default_visibility", "created_at"}
	row, at := make([]any, len(cols)), counter(len(p.users))
	return table{name: "users", cols: cols, rows: len(p.users), next: func() []any {
		i := at()
		if i < 0 {
			return nil
		}
		u := p.users[i]
		row[0], row[1], row[2], row[3] = u.ID, u.AccountID, u.Email, *u.ConfirmedAt
		row[4], row[5], row[6] = u.Approved, string(u.DefaultVisibility), u.CreatedAt
		return row
	}}
}

func (p *plan) followRows() table {
	cols := []string{"id", "account_id", "target_account_id", "show_reblogs", "notify", "uri", "created_at"}
	row, at := make([]any, len(cols)), counter(len(p.followIDs))
	perAccount := len(p.followIDs) / len(p.accounts)
	return table{name: "follows", cols: cols, rows: len(p.followIDs), next: func() []any {
		k := at()
		if k < 0 {
			return nil
		}
		i, j := k/perAccount, k%perAccount
		fid := p.followIDs[k]
		row[0], row[1], row[2] = fid, p.accounts[i].ID, p.accounts[p.following[i][j]].ID
		row[3], row[4], row[5], row[6] = true, false, "", id.Time(fid)
		return row
	}}
}

func (p *plan) statusRows() table {
	cols := []string{"id", "uri", "url", "account_id", "text", "content", "visibility", "local", "created_at"}
	row, at := make([]any, len(cols)), counter(len(p.statusIDs))
	words := strings.Fields(seedWords)
	return table{name: "statuses", cols: cols, rows: len(p.statusIDs), next: func() []any {
		k := at()
		if k < 0 {
			return nil
		}
		sid, a := p.statusIDs[k], p.accounts[p.author[k]]
		text := fmt.Sprintf("Seeded status %d by %s: %s %s %s.", k, a.Username,
			words[k%len(words)], words[(k/7)%len(words)], words[(k/49)%len(words)])
		row[0] = sid
		row[1] = fmt.Sprintf("%s/statuses/%d", a.URI, sid)
		row[2] = fmt.Sprintf("%s/%d", a.URL, sid)
		row[3], row[4], row[5] = a.ID, text, "<p>"+text+"</p>"
		row[6], row[7], row[8] = string(visibilityOf(p.vis[k])), true, id.Time(sid)
		return row
	}}
}

// seedWords fill seeded statuses' text.
const seedWords = `morning coffee thread release notes garden photo cat dog bicycle rain tram
	concert recipe bread sourdough climbing trail map weekend reading novel poetry chess match
	server update patch deploy backup fediverse timeline sunset harbour ferry lighthouse`
