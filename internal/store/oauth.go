package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

// InsertApp registers an OAuth client application.
func (q Q) InsertApp(ctx context.Context, a *model.App) error {
	if a.ID == 0 {
		a.ID = q.NewID()
	}
	a.CreatedAt = time.Now().UTC()
	_, err := q.db.ExecContext(ctx, `INSERT INTO apps (id, name, website, redirect_uris, scopes, client_id, client_secret, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, a.ID, a.Name, a.Website, strings.Join(a.RedirectURIs, "\n"),
		strings.Join(a.Scopes, " "), a.ClientID, a.ClientSecret, a.CreatedAt)
	return wrap(err, "insert app %s", a.Name)
}

const appColumns = `id, name, website, redirect_uris, scopes, client_id, client_secret, created_at`

func scanApp(row scanner) (*model.App, error) {
	var a model.App
	var uris, scopes string
	if err := row.Scan(&a.ID, &a.Name, &a.Website, &uris, &scopes, &a.ClientID, &a.ClientSecret, &a.CreatedAt); err != nil {
		return nil, err
	}
	a.RedirectURIs = strings.Split(uris, "\n")
	a.Scopes = strings.Fields(scopes)
	return &a, nil
}

// AppByID loads an app.
func (q Q) AppByID(ctx context.Context, id int64) (*model.App, error) {
	a, err := scanApp(q.db.QueryRowContext(ctx, `SELECT `+appColumns+` FROM apps WHERE id = $1`, id))
	return a, notFound(err, fmt.Sprintf("app %d", id))
}

// AppByClientID loads an app by its public client id.
func (q Q) AppByClientID(ctx context.Context, clientID string) (*model.App, error) {
	a, err := scanApp(q.db.QueryRowContext(ctx, `SELECT `+appColumns+` FROM apps WHERE client_id = $1`, clientID))
	return a, notFound(err, "app by client id")
}

// InsertAuthCode stores an authorization code by its hash.
func (q Q) InsertAuthCode(ctx context.Context, codeHash string, c *model.AuthCode) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO oauth_codes (code_hash, app_id, user_id, redirect_uri, scopes,
		code_challenge, code_challenge_method, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		codeHash, c.AppID, c.UserID, c.RedirectURI, strings.Join(c.Scopes, " "), c.CodeChallenge,
		c.CodeChallengeMethod, c.ExpiresAt.UTC())
	return wrap(err, "insert auth code")
}

// TakeAuthCode loads and deletes an authorization code, so it can be used once only.
func (q Q) TakeAuthCode(ctx context.Context, codeHash string) (*model.AuthCode, error) {
	var c model.AuthCode
	var scopes string
	err := q.db.QueryRowContext(ctx, `DELETE FROM oauth_codes WHERE code_hash = $1
		RETURNING app_id, user_id, redirect_uri, scopes, code_challenge, code_challenge_method, expires_at`, codeHash).
		Scan(&c.AppID, &c.UserID, &c.RedirectURI, &scopes, &c.CodeChallenge, &c.CodeChallengeMethod, &c.ExpiresAt)
	c.Scopes = strings.Fields(scopes)
	return &c, notFound(err, "auth code")
}

// InsertToken stores a token by the hashes of its access and (optional) refresh secrets.
func (q Q) InsertToken(ctx context.Context, t *model.Token, tokenHash, refreshHash string) error {
	if t.ID == 0 {
		t.ID = q.NewID()
	}
	t.CreatedAt = time.Now().UTC()
	var refresh sql.NullString
	if refreshHash != "" {
		refresh = sql.NullString{String: refreshHash, Valid: true}
	}
	_, err := q.db.ExecContext(ctx, `INSERT INTO tokens (id, token_hash, refresh_hash, app_id, user_id, scopes, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, t.ID, tokenHash, refresh, t.AppID, t.UserID,
		strings.Join(t.Scopes, " "), t.CreatedAt, t.ExpiresAt)
	return wrap(err, "insert token")
}

const tokenColumns = `id, app_id, user_id, scopes, created_at, expires_at, revoked_at, last_used_at`

func scanToken(row scanner) (*model.Token, error) {
	var t model.Token
	var scopes string
	err := row.Scan(&t.ID, &t.AppID, &t.UserID, &scopes, &t.CreatedAt, &t.ExpiresAt, &t.RevokedAt, &t.LastUsedAt)
	t.Scopes = strings.Fields(scopes)
	return &t, err
}

// TokenByHash loads a token by the hash of its access secret.
func (q Q) TokenByHash(ctx context.Context, tokenHash string) (*model.Token, error) {
	t, err := scanToken(q.db.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE token_hash = $1`, tokenHash))
	return t, notFound(err, "token")
}

// TokenByRefreshHash loads a token by the hash of its refresh secret.
func (q Q) TokenByRefreshHash(ctx context.Context, refreshHash string) (*model.Token, error) {
	t, err := scanToken(q.db.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE refresh_hash = $1`, refreshHash))
	return t, notFound(err, "token by refresh")
}

// RevokeToken marks a token revoked; revoking twice is harmless.
func (q Q) RevokeToken(ctx context.Context, id int64) error {
	_, err := q.RevokeTokenOnce(ctx, id)
	return err
}

// RevokeTokenOnce revokes a token and reports whether this call did it, so that of two
// concurrent refreshes of one token only one wins.
func (q Q) RevokeTokenOnce(ctx context.Context, id int64) (bool, error) {
	res, err := q.db.ExecContext(ctx, `UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, time.Now().UTC(), id)
	if err != nil {
		return false, fmt.Errorf("store: revoke token %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, wrap(err, "revoke token %d", id)
}

// RevokeUserTokens revokes every token of a user (password reset, disabling).
func (q Q) RevokeUserTokens(ctx context.Context, userID int64) error {
	_, err := q.db.ExecContext(ctx, `UPDATE tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL`, time.Now().UTC(), userID)
	return wrap(err, "revoke tokens of user %d", userID)
}
