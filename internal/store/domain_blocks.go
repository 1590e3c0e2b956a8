package store

import (
	"context"
	"fmt"
	"time"
)

// InsertDomainBlock records that accountID blocks a domain; blocking it twice is not an error.
func (q Q) InsertDomainBlock(ctx context.Context, accountID int64, domain string) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO account_domain_blocks (id, account_id, domain, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (account_id, domain) DO NOTHING`, q.NewID(), accountID, domain, time.Now().UTC())
	return wrap(err, "insert domain block")
}

// DeleteDomainBlock lifts accountID's block of a domain; lifting an absent one is not an error.
func (q Q) DeleteDomainBlock(ctx context.Context, accountID int64, domain string) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM account_domain_blocks WHERE account_id = $1 AND domain = $2`, accountID, domain)
	return wrap(err, "delete domain block")
}

// DomainBlocks lists the domains accountID blocks, newest block first, with the block
// ids Mastodon pages by.
func (q Q) DomainBlocks(ctx context.Context, accountID int64, p Page) ([]string, []int64, error) {
	var b builder
	b.where("d.account_id = ?", accountID)
	tail := b.page("d.id", p)
	rows, err := q.db.QueryContext(ctx, `SELECT d.id, d.domain FROM account_domain_blocks d`+b.clause()+tail, b.args...)
	if err != nil {
		return nil, nil, fmt.Errorf("store: domain blocks: %w", err)
	}
	defer rows.Close()
	var domains []string
	var cursors []int64
	for rows.Next() {
		var cursor int64
		var domain string
		if err := rows.Scan(&cursor, &domain); err != nil {
			return nil, nil, fmt.Errorf("store: domain blocks: %w", err)
		}
		domains, cursors = append(domains, domain), append(cursors, cursor)
	}
	return ordered(p, domains), ordered(p, cursors), rows.Err()
}

// DomainBlockedSet returns which of targets live on a domain accountID blocks.
func (q Q) DomainBlockedSet(ctx context.Context, accountID int64, targets []int64) (map[int64]bool, error) {
	if len(targets) == 0 {
		return map[int64]bool{}, nil
	}
	return q.idSet(ctx, "domain blocked set", `SELECT a.id FROM accounts a JOIN account_domain_blocks d ON d.domain = a.domain
		WHERE d.account_id = $1 AND a.id IN (`+placeholders(2, len(targets))+`)`, append([]any{accountID}, int64Args(targets)...)...)
}

// RelatedFromDomain lists the accounts on domain that follow (or requested to follow,
// by table) accountID, in ascending order.
func (q Q) RelatedFromDomain(ctx context.Context, table string, accountID int64, domain string) ([]int64, error) {
	set, err := q.idSet(ctx, table+" from domain", `SELECT f.account_id FROM `+table+` f JOIN accounts a ON a.id = f.account_id
		WHERE f.target_account_id = $1 AND a.domain = $2`, accountID, domain)
	return sortedIDs(set), err
}
