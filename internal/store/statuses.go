package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

const statusColumns = `s.id, s.uri, s.url, s.account_id, s.in_reply_to_id, s.in_reply_to_account_id, s.reblog_of_id,
	s.text, s.content, s.spoiler_text, s.sensitive, s.visibility, s.language, s.local, s.application_id,
	s.replies_count, s.reblogs_count, s.favourites_count, s.created_at, s.edited_at`

func scanStatus(row scanner) (*model.Status, error) {
	var s model.Status
	err := row.Scan(&s.ID, &s.URI, &s.URL, &s.AccountID, &s.InReplyToID, &s.InReplyToAccountID, &s.ReblogOfID,
		&s.Text, &s.Content, &s.SpoilerText, &s.Sensitive, &s.Visibility, &s.Language, &s.Local, &s.ApplicationID,
		&s.RepliesCount, &s.ReblogsCount, &s.FavouritesCount, &s.CreatedAt, &s.EditedAt)
	return &s, err
}

func (q Q) statuses(ctx context.Context, what, tail string, args ...any) ([]*model.Status, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+statusColumns+` FROM statuses s`+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []*model.Status
	for rows.Next() {
		s, err := scanStatus(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// NewStatus is what InsertStatus writes: the status and what was found in its text.
type NewStatus struct {
	Status     *model.Status
	MentionIDs []int64
	Tags       []string
	SearchText string // plain text for full-text search; "" keeps it out of the index
}

// InsertStatus stores a status with its mentions, tags and search entry, and bumps
// the author's and parent's counters (when the transaction commits: counter_bumps.go).
func (q Q) InsertStatus(ctx context.Context, n NewStatus) error {
	s := n.Status
	if s.CreatedAt.IsZero() {
		s.CreatedAt = time.Now().UTC()
	}
	if s.ID == 0 {
		s.ID = q.ids.At(s.CreatedAt)
	}
	if err := q.insertStatusRow(ctx, s, n.SearchText); err != nil {
		return err
	}
	if err := q.insertMentions(ctx, s.ID, n.MentionIDs); err != nil {
		return err
	}
	if err := q.insertStatusTags(ctx, s.ID, n.Tags); err != nil {
		return err
	}
	if q.engine == SQLite { // PostgreSQL's search column was written with the row
		if err := q.indexStatus(ctx, s.ID, n.SearchText); err != nil {
			return err
		}
	}
	return q.bump(ctx, func(c *counterBumps) { c.addStatus(s) })
}

const insertStatusSQL = `INSERT INTO statuses (id, uri, url, account_id, in_reply_to_id, in_reply_to_account_id,
	reblog_of_id, text, content, spoiler_text, sensitive, visibility, language, local, application_id, created_at%s)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16%s)`

var (
	insertStatusSQLite   = fmt.Sprintf(insertStatusSQL, "", "")
	insertStatusPostgres = fmt.Sprintf(insertStatusSQL, ", search_vector", ", to_tsvector('simple', $17)")
)

// insertStatusRow writes the statuses row; on PostgreSQL with its search vector in
// the same statement (one round trip fewer per status than indexing after).
func (q Q) insertStatusRow(ctx context.Context, s *model.Status, searchText string) error {
	args := []any{s.ID, s.URI, s.URL, s.AccountID, s.InReplyToID, s.InReplyToAccountID, s.ReblogOfID, s.Text, s.Content,
		s.SpoilerText, s.Sensitive, s.Visibility, s.Language, s.Local, s.ApplicationID, s.CreatedAt}
	query := insertStatusSQLite
	if q.engine == Postgres {
		var search *string // NULL keeps a status without words out of the index
		if strings.TrimSpace(searchText) != "" {
			search = &searchText
		}
		query, args = insertStatusPostgres, append(args, search)
	}
	_, err := q.db.ExecContext(ctx, query, args...)
	if isUniqueViolation(err) {
		return fmt.Errorf("store: insert status %s: %w", s.URI, ErrConflict)
	}
	return wrap(err, "insert status")
}

func (q Q) insertMentions(ctx context.Context, statusID int64, accountIDs []int64) error {
	for _, a := range accountIDs {
		if _, err := q.db.ExecContext(ctx, `INSERT INTO mentions (status_id, account_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, statusID, a); err != nil {
			return fmt.Errorf("store: insert mention: %w", err)
		}
	}
	return nil
}

func (q Q) insertStatusTags(ctx context.Context, statusID int64, names []string) error {
	for _, name := range names {
		tag, err := q.EnsureTag(ctx, name)
		if err != nil {
			return err
		}
		if _, err := q.db.ExecContext(ctx, `INSERT INTO status_tags (tag_id, status_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, tag.ID, statusID); err != nil {
			return fmt.Errorf("store: tag status: %w", err)
		}
	}
	return nil
}

// DeleteStatus removes a status (its boosts, mentions, tags, favourites and feed entries
// follow by cascade) and undoes its counters.
func (q Q) DeleteStatus(ctx context.Context, s *model.Status) error {
	reblogs, err := q.statuses(ctx, "reblogs of deleted", ` WHERE s.reblog_of_id = $1`, s.ID)
	if err != nil {
		return err
	}
	for _, r := range append(reblogs, s) {
		if err := q.deleteOneStatus(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

func (q Q) deleteOneStatus(ctx context.Context, s *model.Status) error {
	if err := q.unindexStatus(ctx, s.ID); err != nil {
		return err
	}
	res, err := q.db.ExecContext(ctx, `DELETE FROM statuses WHERE id = $1`, s.ID)
	if err != nil {
		return fmt.Errorf("store: delete status %d: %w", s.ID, err)
	}
	if err := mustAffect(res, fmt.Sprintf("delete status %d", s.ID)); err != nil {
		return err
	}
	return q.uncountStatus(ctx, s)
}

// distributable reports whether s is shown beyond its author's followers and mentions.
func distributable(s *model.Status) bool {
	return s.Visibility == model.Public || s.Visibility == model.Unlisted
}

// uncountStatus undoes what counterBumps.addStatus counted.
func (q Q) uncountStatus(ctx context.Context, s *model.Status) error {
	if s.Visibility == model.Direct {
		return nil
	}
	if _, err := q.db.ExecContext(ctx, `UPDATE accounts SET statuses_count = statuses_count - 1 WHERE id = $1 AND statuses_count > 0`, s.AccountID); err != nil {
		return fmt.Errorf("store: uncount status: %w", err)
	}
	if s.ReblogOfID != nil {
		_, err := q.db.ExecContext(ctx, `UPDATE statuses SET reblogs_count = reblogs_count - 1 WHERE id = $1 AND reblogs_count > 0`, *s.ReblogOfID)
		return wrap(err, "uncount reblog")
	}
	if s.InReplyToID != nil && distributable(s) {
		_, err := q.db.ExecContext(ctx, `UPDATE statuses SET replies_count = replies_count - 1 WHERE id = $1 AND replies_count > 0`, *s.InReplyToID)
		return wrap(err, "uncount reply")
	}
	return nil
}

// StatusByID loads one status.
func (q Q) StatusByID(ctx context.Context, id int64) (*model.Status, error) {
	s, err := scanStatus(q.db.QueryRowContext(ctx, `SELECT `+statusColumns+` FROM statuses s WHERE s.id = $1`, id))
	return s, notFound(err, fmt.Sprintf("status %d", id))
}

// StatusesByIDs loads statuses keyed by id; missing ones are absent.
func (q Q) StatusesByIDs(ctx context.Context, ids []int64) (map[int64]*model.Status, error) {
	out := make(map[int64]*model.Status, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	list, err := q.statuses(ctx, "statuses by ids", ` WHERE s.id IN (`+placeholders(1, len(ids))+`)`, int64Args(ids)...)
	for _, s := range list {
		out[s.ID] = s
	}
	return out, err
}

// StatusesByURIs loads statuses keyed by ActivityPub id; unknown ones are absent.
func (q Q) StatusesByURIs(ctx context.Context, uris []string) (map[string]*model.Status, error) {
	out := make(map[string]*model.Status, len(uris))
	if len(uris) == 0 {
		return out, nil
	}
	list, err := q.statuses(ctx, "statuses by uris", ` WHERE s.uri IN (`+placeholders(1, len(uris))+`)`, stringArgs(uris)...)
	for _, s := range list {
		out[s.URI] = s
	}
	return out, err
}

// ReblogBy finds accountID's boost of statusID.
func (q Q) ReblogBy(ctx context.Context, accountID, statusID int64) (*model.Status, error) {
	s, err := scanStatus(q.db.QueryRowContext(ctx, `SELECT `+statusColumns+` FROM statuses s
		WHERE s.reblog_of_id = $1 AND s.account_id = $2`, statusID, accountID))
	return s, notFound(err, "reblog")
}

// Replies returns the direct replies to the given statuses, oldest first.
func (q Q) Replies(ctx context.Context, parentIDs []int64) ([]*model.Status, error) {
	if len(parentIDs) == 0 {
		return nil, nil
	}
	return q.statuses(ctx, "replies", ` WHERE s.in_reply_to_id IN (`+placeholders(1, len(parentIDs))+`) ORDER BY s.id`, int64Args(parentIDs)...)
}

// AccountStatusFilter narrows an account's statuses as Mastodon's query parameters do.
type AccountStatusFilter struct {
	OnlyMedia, ExcludeReplies, ExcludeReblogs, Pinned bool
	Tagged                                            string
}

// AccountStatuses lists an account's statuses that viewer may see.
func (q Q) AccountStatuses(ctx context.Context, viewer, accountID int64, f AccountStatusFilter, p Page) ([]*model.Status, error) {
	var b builder
	b.where("s.account_id = ?", accountID)
	b.visibleTo(viewer)
	if f.OnlyMedia {
		b.where("EXISTS (SELECT 1 FROM media_attachments om WHERE om.status_id = s.id)")
	}
	if f.ExcludeReplies {
		b.where("(s.in_reply_to_id IS NULL OR s.in_reply_to_account_id = s.account_id)")
	}
	if f.ExcludeReblogs {
		b.where("s.reblog_of_id IS NULL")
	}
	if f.Pinned {
		b.where("EXISTS (SELECT 1 FROM status_pins sp WHERE sp.status_id = s.id AND sp.account_id = s.account_id)")
	}
	if f.Tagged != "" {
		b.where("EXISTS (SELECT 1 FROM status_tags st JOIN tags t ON t.id = st.tag_id WHERE st.status_id = s.id AND lower(t.name) = lower(?))", f.Tagged)
	}
	tail := b.page("s.id", p)
	out, err := q.statuses(ctx, "account statuses", b.clause()+tail, b.args...)
	return ordered(p, out), err
}

// MentionedIDs returns the accounts mentioned by each status.
func (q Q) MentionedIDs(ctx context.Context, statusIDs []int64) (map[int64][]int64, error) {
	out := map[int64][]int64{}
	err := q.pairs(ctx, "mentions", `SELECT status_id, account_id FROM mentions WHERE status_id IN (`+placeholders(1, len(statusIDs))+`) ORDER BY account_id`,
		statusIDs, func(a, b int64) { out[a] = append(out[a], b) })
	return out, err
}

// TagNames returns the hashtags of each status.
func (q Q) TagNames(ctx context.Context, statusIDs []int64) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(statusIDs) == 0 {
		return out, nil
	}
	rows, err := q.db.QueryContext(ctx, `SELECT st.status_id, t.name FROM status_tags st JOIN tags t ON t.id = st.tag_id
		WHERE st.status_id IN (`+placeholders(1, len(statusIDs))+`) ORDER BY t.name`, int64Args(statusIDs)...)
	if err != nil {
		return nil, fmt.Errorf("store: tag names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = append(out[id], name)
	}
	return out, rows.Err()
}

// pairs runs a two-column integer query over a list of ids.
func (q Q) pairs(ctx context.Context, what, query string, ids []int64, each func(a, b int64)) error {
	if len(ids) == 0 {
		return nil
	}
	rows, err := q.db.QueryContext(ctx, query, int64Args(ids)...)
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		var a, b int64
		if err := rows.Scan(&a, &b); err != nil {
			return fmt.Errorf("store: %s: %w", what, err)
		}
		each(a, b)
	}
	return rows.Err()
}

// idSet runs a one-column id query and returns the ids as a set.
func (q Q) idSet(ctx context.Context, what, query string, args ...any) (map[int64]bool, error) {
	rows, err := q.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out[v] = true
	}
	return out, rows.Err()
}

// ViewerFlags says, for each of the statuses, what the viewer did with it.
type ViewerFlags struct {
	Favourited, Reblogged, Bookmarked, Pinned map[int64]bool
}

// ViewerFlagsFor loads favourited/reblogged/bookmarked/pinned for viewer over statusIDs.
func (q Q) ViewerFlagsFor(ctx context.Context, viewer int64, statusIDs []int64) (ViewerFlags, error) {
	var f ViewerFlags
	if viewer == 0 || len(statusIDs) == 0 {
		return f, nil
	}
	in := ` IN (` + placeholders(2, len(statusIDs)) + `)`
	args := append([]any{viewer}, int64Args(statusIDs)...)
	var err error
	if f.Favourited, err = q.idSet(ctx, "favourited", `SELECT status_id FROM favourites WHERE account_id = $1 AND status_id`+in, args...); err != nil {
		return f, err
	}
	if f.Reblogged, err = q.idSet(ctx, "reblogged", `SELECT reblog_of_id FROM statuses WHERE account_id = $1 AND reblog_of_id`+in, args...); err != nil {
		return f, err
	}
	if f.Bookmarked, err = q.idSet(ctx, "bookmarked", `SELECT status_id FROM bookmarks WHERE account_id = $1 AND status_id`+in, args...); err != nil {
		return f, err
	}
	f.Pinned, err = q.idSet(ctx, "pinned", `SELECT status_id FROM status_pins WHERE account_id = $1 AND status_id`+in, args...)
	return f, err
}

// IdempotentStatus returns the status an earlier request with the same key created.
func (q Q) IdempotentStatus(ctx context.Context, accountID int64, key string) (int64, error) {
	var id int64
	err := q.db.QueryRowContext(ctx, `SELECT status_id FROM idempotency_keys WHERE account_id = $1 AND key = $2 AND created_at > $3`,
		accountID, key, time.Now().UTC().Add(-time.Hour)).Scan(&id)
	return id, notFound(err, "idempotency key")
}

// RememberIdempotency records which status a key created (kept for an hour, as Mastodon).
func (q Q) RememberIdempotency(ctx context.Context, accountID int64, key string, statusID int64) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO idempotency_keys (account_id, key, status_id, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (account_id, key) DO UPDATE SET status_id = excluded.status_id, created_at = excluded.created_at`,
		accountID, key, statusID, time.Now().UTC())
	return wrap(err, "remember idempotency key")
}
