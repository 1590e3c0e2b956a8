package store

import (
	"context"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

// UserToken is a single-use secret mailed to a member: the table keeps only the
// SHA-256 of the secret (Hash) and the address the mail went to.
type UserToken struct {
	ID        int64
	UserID    int64
	Kind      string // accounts names the kinds: confirmation, password reset, e-mail change
	Hash      string
	Email     string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

const userTokenColumns = `id, user_id, kind, token_hash, email, created_at, expires_at, used_at`

func scanUserToken(row scanner) (*UserToken, error) {
	var t UserToken
	err := row.Scan(&t.ID, &t.UserID, &t.Kind, &t.Hash, &t.Email, &t.CreatedAt, &t.ExpiresAt, &t.UsedAt)
	return &t, err
}

// InsertUserToken stores a new token.
func (q Q) InsertUserToken(ctx context.Context, t *UserToken) error {
	if t.ID == 0 {
		t.ID = q.NewID()
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = time.Now().UTC()
	}
	_, err := q.db.ExecContext(ctx, `INSERT INTO user_tokens (`+userTokenColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		t.ID, t.UserID, t.Kind, t.Hash, t.Email, t.CreatedAt.UTC(), t.ExpiresAt.UTC(), t.UsedAt)
	return wrap(err, "insert %s token of user %d", t.Kind, t.UserID)
}

// LiveUserToken loads the unused, unexpired token of kind with this hash, or ErrNotFound.
func (q Q) LiveUserToken(ctx context.Context, kind, hash string, now time.Time) (*UserToken, error) {
	t, err := scanUserToken(q.db.QueryRowContext(ctx, `SELECT `+userTokenColumns+` FROM user_tokens
		WHERE token_hash = $1 AND kind = $2 AND used_at IS NULL AND expires_at > $3`, hash, kind, now.UTC()))
	return t, notFound(err, kind+" token")
}

// UseUserToken marks a live token used and returns it; a token already used, expired or
// unknown is ErrNotFound. The UPDATE's condition makes two concurrent uses settle on one.
func (q Q) UseUserToken(ctx context.Context, kind, hash string, now time.Time) (*UserToken, error) {
	t, err := scanUserToken(q.db.QueryRowContext(ctx, `UPDATE user_tokens SET used_at = $1
		WHERE token_hash = $2 AND kind = $3 AND used_at IS NULL AND expires_at > $1
		RETURNING `+userTokenColumns, now.UTC(), hash, kind))
	return t, notFound(err, kind+" token")
}

// ExpireUserTokens marks every live token of kind held by a user used, so older links
// stop working (after a password reset, a new e-mail change request).
func (q Q) ExpireUserTokens(ctx context.Context, userID int64, kind string, now time.Time) error {
	_, err := q.db.ExecContext(ctx, `UPDATE user_tokens SET used_at = $1 WHERE user_id = $2 AND kind = $3 AND used_at IS NULL`,
		now.UTC(), userID, kind)
	return wrap(err, "expire %s tokens of user %d", kind, userID)
}

// DeleteStaleUserTokens deletes tokens that expired before cutoff; for a periodic clean-up.
func (q Q) DeleteStaleUserTokens(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := q.db.ExecContext(ctx, `DELETE FROM user_tokens WHERE expires_at < $1`, cutoff.UTC())
	if err != nil {
		return 0, fmt.Errorf("store: delete stale user tokens: %w", err)
	}
	return res.RowsAffected()
}

// UsersWithRoles lists the users holding one of roles who may receive staff mail:
// confirmed and not disabled. It serves the admin notices (new sign-ups, reports).
func (q Q) UsersWithRoles(ctx context.Context, roles ...string) ([]*model.User, error) {
	if len(roles) == 0 {
		return nil, nil
	}
	args := make([]any, len(roles))
	for i, r := range roles {
		args[i] = r
	}
	rows, err := q.db.QueryContext(ctx, `SELECT `+userColumns+` FROM users u
		WHERE u.role IN (`+placeholders(1, len(roles))+`) AND u.confirmed_at IS NOT NULL AND NOT u.disabled
		ORDER BY u.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: users with roles: %w", err)
	}
	defer rows.Close()
	var out []*model.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("store: users with roles: %w", err)
		}
		out = append(out, u)
	}
	return out, wrap(rows.Err(), "users with roles")
}
