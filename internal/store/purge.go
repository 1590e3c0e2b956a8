package store

import (
	"context"
	"fmt"
	"time"
)

// Bulk removal of remote content for "tusk admin domains purge" and "statuses remove".

// CountDomainAccounts counts the accounts of a remote domain.
func (q Q) CountDomainAccounts(ctx context.Context, domain string) (int64, error) {
	var n int64
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM accounts WHERE domain = $1 AND domain <> ''`, domain).Scan(&n)
	return n, wrap(err, "count accounts of %s", domain)
}

// DomainAccountIDs lists up to limit account ids of a remote domain, lowest first.
func (q Q) DomainAccountIDs(ctx context.Context, domain string, limit int) ([]int64, error) {
	set, err := q.idSet(ctx, "accounts of "+domain, `SELECT id FROM accounts WHERE domain = $1 AND domain <> '' ORDER BY id LIMIT $2`, domain, limit)
	return sortedIDs(set), err
}

// DeleteRemoteAccounts deletes remote accounts and, by cascade, their statuses, media
// rows, follows, favourites and the rest, then recounts what the deletion changed on
// the accounts and statuses that remain. Call it inside a transaction.
func (q Q) DeleteRemoteAccounts(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	in := placeholders(1, len(ids))
	args := int64Args(ids)
	related, err := q.idSet(ctx, "purge related accounts", `SELECT target_account_id FROM follows WHERE account_id IN (`+in+`)
		UNION SELECT account_id FROM follows WHERE target_account_id IN (`+in+`)
		UNION SELECT r.account_id FROM statuses r JOIN statuses s ON s.id = r.reblog_of_id WHERE s.account_id IN (`+in+`)`, args...)
	if err != nil {
		return err
	}
	touched, err := q.idSet(ctx, "purge related statuses", `SELECT status_id FROM favourites WHERE account_id IN (`+in+`)
		UNION SELECT reblog_of_id FROM statuses WHERE reblog_of_id IS NOT NULL AND account_id IN (`+in+`)
		UNION SELECT in_reply_to_id FROM statuses WHERE in_reply_to_id IS NOT NULL AND account_id IN (`+in+`)`, args...)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := q.deleteAccountSearchRows(ctx, id); err != nil {
			return err
		}
	}
	clearAfterCommit(q, signers)
	if _, err := q.db.ExecContext(ctx, `DELETE FROM accounts WHERE domain <> '' AND id IN (`+in+`)`, args...); err != nil {
		return fmt.Errorf("store: delete remote accounts: %w", err)
	}
	if err := q.recountAccounts(ctx, sortedIDs(related)); err != nil {
		return err
	}
	return q.recountStatuses(ctx, sortedIDs(touched))
}

// recountAccounts sets the follow and status counters of accounts from the rows that
// remain (boosts of deleted statuses go with them, by cascade).
func (q Q) recountAccounts(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := q.db.ExecContext(ctx, `UPDATE accounts SET
		followers_count = (SELECT COUNT(*) FROM follows f WHERE f.target_account_id = accounts.id),
		following_count = (SELECT COUNT(*) FROM follows f WHERE f.account_id = accounts.id),
		statuses_count = (SELECT COUNT(*) FROM statuses s WHERE s.account_id = accounts.id AND s.visibility <> 'direct')
		WHERE id IN (`+placeholders(1, len(ids))+`)`, int64Args(ids)...)
	return wrap(err, "recount accounts")
}

// recountStatuses sets the counters of statuses from the rows that remain, counted as
// counterBumps.addStatus counts them (replies only when public or unlisted); ids of statuses
// that are gone are ignored.
func (q Q) recountStatuses(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := q.db.ExecContext(ctx, `UPDATE statuses SET
		favourites_count = (SELECT COUNT(*) FROM favourites f WHERE f.status_id = statuses.id),
		reblogs_count = (SELECT COUNT(*) FROM statuses r WHERE r.reblog_of_id = statuses.id),
		replies_count = (SELECT COUNT(*) FROM statuses r WHERE r.in_reply_to_id = statuses.id
			AND r.reblog_of_id IS NULL AND r.visibility IN ('public', 'unlisted'))
		WHERE id IN (`+placeholders(1, len(ids))+`)`, int64Args(ids)...)
	return wrap(err, "recount statuses")
}

// DeleteDomainEmojis deletes the custom emoji of a remote domain and returns how many.
func (q Q) DeleteDomainEmojis(ctx context.Context, domain string) (int64, error) {
	res, err := q.db.ExecContext(ctx, `DELETE FROM custom_emojis WHERE domain = $1 AND domain <> ''`, domain)
	if err != nil {
		return 0, fmt.Errorf("store: delete emoji of %s: %w", domain, err)
	}
	return res.RowsAffected()
}

// unusedRemoteStatus is the condition "statuses remove" deletes by: a remote status
// older than the cutoff ($1) that no local account posted, pinned, bookmarked,
// favourited, boosted, quoted, replied to or was mentioned in.
const unusedRemoteStatus = `s.local = FALSE AND s.created_at < $1
	AND NOT EXISTS (SELECT 1 FROM bookmarks b JOIN accounts a ON a.id = b.account_id WHERE b.status_id = s.id AND a.domain = '')
	AND NOT EXISTS (SELECT 1 FROM favourites f JOIN accounts a ON a.id = f.account_id WHERE f.status_id = s.id AND a.domain = '')
	AND NOT EXISTS (SELECT 1 FROM status_pins p WHERE p.status_id = s.id)
	AND NOT EXISTS (SELECT 1 FROM statuses r WHERE (r.reblog_of_id = s.id OR r.in_reply_to_id = s.id) AND r.local = TRUE)
	AND NOT EXISTS (SELECT 1 FROM quotes qt JOIN statuses r ON r.id = qt.status_id WHERE qt.quoted_status_id = s.id AND r.local = TRUE)
	AND NOT EXISTS (SELECT 1 FROM mentions m JOIN accounts a ON a.id = m.account_id WHERE m.status_id = s.id AND a.domain = '')`

// UnusedRemoteStatuses lists up to limit ids of remote statuses created before cutoff
// that no local account uses, lowest first.
func (q Q) UnusedRemoteStatuses(ctx context.Context, cutoff time.Time, limit int) ([]int64, error) {
	set, err := q.idSet(ctx, "unused remote statuses", `SELECT s.id FROM statuses s WHERE `+unusedRemoteStatus+
		` ORDER BY s.id LIMIT $2`, cutoff.UTC(), limit)
	return sortedIDs(set), err
}

// CountUnusedRemoteStatuses counts what UnusedRemoteStatuses would list without a limit.
func (q Q) CountUnusedRemoteStatuses(ctx context.Context, cutoff time.Time) (int64, error) {
	var n int64
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM statuses s WHERE `+unusedRemoteStatus, cutoff.UTC()).Scan(&n)
	return n, wrap(err, "count unused remote statuses")
}

// DeleteRemoteStatuses deletes remote statuses by id (boosts of them go by cascade) and
// recounts their authors, their boosters and the statuses they replied to. Call it
// inside a transaction.
func (q Q) DeleteRemoteStatuses(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	in := placeholders(1, len(ids))
	args := int64Args(ids)
	parents, err := q.idSet(ctx, "parents of removed statuses", `SELECT in_reply_to_id FROM statuses
		WHERE in_reply_to_id IS NOT NULL AND id IN (`+in+`)`, args...)
	if err != nil {
		return err
	}
	authors, err := q.idSet(ctx, "authors of removed statuses", `SELECT account_id FROM statuses WHERE id IN (`+in+`)
		UNION SELECT account_id FROM statuses WHERE reblog_of_id IN (`+in+`)`, args...)
	if err != nil {
		return err
	}
	if q.engine == SQLite {
		if _, err := q.db.ExecContext(ctx, `DELETE FROM statuses_fts WHERE rowid IN (`+in+`)`, args...); err != nil {
			return fmt.Errorf("store: unindex removed statuses: %w", err)
		}
	}
	if _, err := q.db.ExecContext(ctx, `DELETE FROM statuses WHERE local = FALSE AND id IN (`+in+`)`, args...); err != nil {
		return fmt.Errorf("store: delete remote statuses: %w", err)
	}
	if err := q.recountAccounts(ctx, sortedIDs(authors)); err != nil {
		return err
	}
	return q.recountStatuses(ctx, sortedIDs(parents))
}

// KnownDomains lists the domains of every remote account, alphabetically.
func (q Q) KnownDomains(ctx context.Context) ([]string, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT DISTINCT domain FROM accounts WHERE domain <> '' ORDER BY domain`)
	if err != nil {
		return nil, fmt.Errorf("store: known domains: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, fmt.Errorf("store: known domains: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// DeleteRemoteEmojis deletes the records of every remote custom emoji (their images are
// in the remote media cache) and returns how many.
func (q Q) DeleteRemoteEmojis(ctx context.Context) (int64, error) {
	res, err := q.db.ExecContext(ctx, `DELETE FROM custom_emojis WHERE domain <> ''`)
	if err != nil {
		return 0, fmt.Errorf("store: delete remote emoji: %w", err)
	}
	return res.RowsAffected()
}

// RemoteAccountRef is a remote account's id and ActivityPub id.
type RemoteAccountRef struct {
	ID  int64
	URI string
}

// RemoteAccountRefs pages through remote accounts by id, of one domain or ("") all.
func (q Q) RemoteAccountRefs(ctx context.Context, domain string, afterID int64, limit int) ([]RemoteAccountRef, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT id, uri FROM accounts WHERE domain <> '' AND ($1 = '' OR domain = $1)
		AND id > $2 AND uri <> '' ORDER BY id LIMIT $3`, domain, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: remote accounts: %w", err)
	}
	defer rows.Close()
	var out []RemoteAccountRef
	for rows.Next() {
		var r RemoteAccountRef
		if err := rows.Scan(&r.ID, &r.URI); err != nil {
			return nil, fmt.Errorf("store: remote accounts: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CountRemoteAccounts counts remote accounts of one domain or ("") all.
func (q Q) CountRemoteAccounts(ctx context.Context, domain string) (int64, error) {
	var n int64
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM accounts WHERE domain <> '' AND ($1 = '' OR domain = $1) AND uri <> ''`, domain).Scan(&n)
	return n, wrap(err, "count remote accounts")
}
