package store

import (
	"context"
	"fmt"

	"github.com/tuskhq/tusk/internal/model"
)

// HomeFeedCap is how many entries a home feed keeps; older pages are read by merging
// followed accounts' statuses at read time (see docs/decisions.md).
const HomeFeedCap = 800

// AddToHomeFeeds inserts a status into the home feeds of the given accounts.
func (q Q) AddToHomeFeeds(ctx context.Context, statusID int64, accountIDs []int64) error {
	const batch = 400
	for start := 0; start < len(accountIDs); start += batch {
		part := accountIDs[start:min(start+batch, len(accountIDs))]
		args := make([]any, 0, len(part)+1)
		args = append(args, statusID)
		values := ""
		for i, a := range part {
			if i > 0 {
				values += ", "
			}
			values += fmt.Sprintf("($%d, $1)", i+2)
			args = append(args, a)
		}
		if _, err := q.db.ExecContext(ctx, `INSERT INTO home_feeds (account_id, status_id) VALUES `+values+` ON CONFLICT DO NOTHING`, args...); err != nil {
			return fmt.Errorf("store: fan out status %d: %w", statusID, err)
		}
	}
	return nil
}

// BackfillHomeFeed adds a newly followed account's recent statuses to accountID's feed,
// filtered as fan-out filters new ones: no direct messages, boosts only when the follow
// shows them, replies only to the author, the follower or accounts the follower follows.
func (q Q) BackfillHomeFeed(ctx context.Context, accountID, followedID int64, showReblogs bool, limit int) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO home_feeds (account_id, status_id)
		SELECT $1, s.id FROM statuses s WHERE s.account_id = $2 AND s.visibility IN ('public', 'unlisted', 'private')
		AND ($3 OR s.reblog_of_id IS NULL)
		AND (s.in_reply_to_account_id IS NULL OR s.in_reply_to_account_id IN (s.account_id, $1)
			OR EXISTS (SELECT 1 FROM follows f WHERE f.account_id = $1 AND f.target_account_id = s.in_reply_to_account_id))
		ORDER BY s.id DESC LIMIT $4 ON CONFLICT DO NOTHING`, accountID, followedID, showReblogs, limit)
	return wrap(err, "backfill feed of %d", accountID)
}

// RemoveFromHomeFeed drops an unfollowed account's statuses from accountID's feed.
func (q Q) RemoveFromHomeFeed(ctx context.Context, accountID, authorID int64) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM home_feeds WHERE account_id = $1
		AND status_id IN (SELECT id FROM statuses WHERE account_id = $2)`, accountID, authorID)
	return wrap(err, "unfeed %d from %d", authorID, accountID)
}

// TrimHomeFeed keeps the newest HomeFeedCap entries of one feed.
func (q Q) TrimHomeFeed(ctx context.Context, accountID int64) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM home_feeds WHERE account_id = $1 AND status_id <
		(SELECT status_id FROM home_feeds WHERE account_id = $1 ORDER BY status_id DESC LIMIT 1 OFFSET $2)`, accountID, HomeFeedCap-1)
	return wrap(err, "trim feed of %d", accountID)
}

// HomeTimeline returns accountID's home timeline page. It reads the fanned-out feed and,
// past its end, falls back to merging the statuses of followed accounts.
func (q Q) HomeTimeline(ctx context.Context, accountID int64, p Page) ([]*model.Status, error) {
	// Walk the feed's primary key and join each entry to its status: the planners of both
	// engines then read only the page's rows, however deep the page is.
	var b builder
	b.where("hf.account_id = ?", accountID)
	tail := b.page("hf.status_id", p)
	out, err := q.statuses(ctx, "home timeline", " JOIN home_feeds hf ON hf.status_id = s.id"+b.clause()+tail, b.args...)
	if err != nil || len(out) == p.Limit || p.MinID > 0 || p.SinceID > 0 {
		return ordered(p, out), err
	}
	return q.homeBeyondFeed(ctx, accountID, p, out)
}

// homeBeyondFeed fills a short page from statuses older than the oldest feed entry,
// choosing them by the rules fan-out applies (boosts only where the follow shows them,
// replies only to the author, the viewer or accounts the viewer follows).
func (q Q) homeBeyondFeed(ctx context.Context, accountID int64, p Page, got []*model.Status) ([]*model.Status, error) {
	var oldest int64
	if err := q.db.QueryRowContext(ctx, `SELECT COALESCE(MIN(status_id), 0) FROM home_feeds WHERE account_id = $1`, accountID).Scan(&oldest); err != nil {
		return nil, fmt.Errorf("store: home feed bound: %w", err)
	}
	var count int
	if err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM home_feeds WHERE account_id = $1`, accountID).Scan(&count); err != nil || count < HomeFeedCap-1 {
		return got, err // the feed holds everything there is
	}
	bound := oldest
	if len(got) > 0 {
		bound = got[len(got)-1].ID
	} else if p.MaxID > 0 && p.MaxID < oldest {
		bound = p.MaxID
	}
	var b builder
	b.where(`(s.account_id = ? OR EXISTS (SELECT 1 FROM follows f WHERE f.account_id = ? AND f.target_account_id = s.account_id
		AND (s.reblog_of_id IS NULL OR f.show_reblogs = ?)
		AND (s.in_reply_to_account_id IS NULL OR s.in_reply_to_account_id IN (s.account_id, ?)
			OR EXISTS (SELECT 1 FROM follows rf WHERE rf.account_id = ? AND rf.target_account_id = s.in_reply_to_account_id))))`,
		accountID, accountID, true, accountID, accountID)
	b.visibleTo(accountID)
	tail := b.page("s.id", Page{MaxID: bound, Limit: p.Limit - len(got)})
	more, err := q.statuses(ctx, "home timeline beyond feed", b.clause()+tail, b.args...)
	return append(got, more...), err
}

// Scope narrows a public timeline as Mastodon's local, remote and only_media do.
type Scope struct {
	Local, Remote, OnlyMedia bool
}

func (b *builder) scope(sc Scope) {
	if sc.Local {
		b.where("s.local = ?", true)
	} else if sc.Remote {
		b.where("s.local = ?", false)
	}
	if sc.OnlyMedia {
		b.where("1 = 0") // no status carries media until the media issue adds attachments
	}
}

// PublicTimeline lists public original statuses that are not replies to others.
func (q Q) PublicTimeline(ctx context.Context, sc Scope, p Page) ([]*model.Status, error) {
	var b builder
	b.where(`s.visibility = 'public' AND s.reblog_of_id IS NULL AND (s.in_reply_to_account_id IS NULL OR s.in_reply_to_account_id = s.account_id)`)
	b.scope(sc)
	tail := b.page("s.id", p)
	out, err := q.statuses(ctx, "public timeline", b.clause()+tail, b.args...)
	return ordered(p, out), err
}

// TagFilter is the hashtag timeline's query: statuses with any of Any, all of All, none of None.
type TagFilter struct {
	Any, All, None []string
	Scope
}

// TagTimeline lists public statuses carrying the tags.
func (q Q) TagTimeline(ctx context.Context, f TagFilter, p Page) ([]*model.Status, error) {
	var b builder
	b.where(`s.visibility = 'public' AND s.reblog_of_id IS NULL`)
	hasTag := `EXISTS (SELECT 1 FROM status_tags st JOIN tags t ON t.id = st.tag_id WHERE st.status_id = s.id AND lower(t.name) IN (%s))`
	b.where(fmt.Sprintf(hasTag, questionMarks(len(f.Any))), lowerArgs(f.Any)...)
	for _, tag := range f.All {
		b.where(fmt.Sprintf(hasTag, "?"), lowerArgs([]string{tag})...)
	}
	if len(f.None) > 0 {
		b.where("NOT "+fmt.Sprintf(hasTag, questionMarks(len(f.None))), lowerArgs(f.None)...)
	}
	b.scope(f.Scope)
	tail := b.page("s.id", p)
	out, err := q.statuses(ctx, "tag timeline", b.clause()+tail, b.args...)
	return ordered(p, out), err
}

func lowerArgs(v []string) []any {
	out := make([]any, len(v))
	for i, s := range v {
		out[i] = toLower(s)
	}
	return out
}
