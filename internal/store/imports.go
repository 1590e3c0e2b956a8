package store

import (
	"context"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

// PendingImport is an imported row naming a remote account or status this server does
// not know yet; federation resolves it once it can fetch the target.
type PendingImport struct {
	ID        int64
	AccountID int64
	Kind      string // the import kind: following, bookmarks …
	Target    string // the account address or status URI as the file had it
	Data      string // the rest of the row as JSON
	CreatedAt time.Time
}

// SavePendingImport records (or refreshes) one pending row; a row imported twice stays one.
func (q Q) SavePendingImport(ctx context.Context, p *PendingImport) error {
	p.ID, p.CreatedAt = q.NewID(), time.Now().UTC()
	_, err := q.db.ExecContext(ctx, `INSERT INTO pending_imports (id, account_id, kind, target, data, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (account_id, kind, target) DO UPDATE SET data = excluded.data`,
		p.ID, p.AccountID, p.Kind, p.Target, p.Data, p.CreatedAt)
	return wrap(err, "save pending import %s", p.Kind)
}

// PendingImports lists accountID's pending rows of one kind, oldest first.
func (q Q) PendingImports(ctx context.Context, accountID int64, kind string) ([]*PendingImport, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT id, account_id, kind, target, data, created_at FROM pending_imports
		WHERE account_id = $1 AND kind = $2 ORDER BY id`, accountID, kind)
	if err != nil {
		return nil, fmt.Errorf("store: pending imports: %w", err)
	}
	defer rows.Close()
	var out []*PendingImport
	for rows.Next() {
		var p PendingImport
		if err := rows.Scan(&p.ID, &p.AccountID, &p.Kind, &p.Target, &p.Data, &p.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: pending imports: %w", err)
		}
		out = append(out, &p)
	}
	return out, rows.Err()
}

// DeletePendingImports drops accountID's pending rows of one kind (an overwriting import).
func (q Q) DeletePendingImports(ctx context.Context, accountID int64, kind string) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM pending_imports WHERE account_id = $1 AND kind = $2`, accountID, kind)
	return wrap(err, "delete pending imports %s", kind)
}

// StatusByURI finds a status by its ActivityPub id (indexed; web URLs are not).
func (q Q) StatusByURI(ctx context.Context, uri string) (*model.Status, error) {
	s, err := scanStatus(q.db.QueryRowContext(ctx, `SELECT `+statusColumns+` FROM statuses s WHERE s.uri = $1`, uri))
	return s, notFound(err, "status "+uri)
}
