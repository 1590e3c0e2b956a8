package store

import (
	"context"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

const userColumns = `u.id, u.account_id, u.email, u.password_hash, u.role, u.confirmed_at, u.approved, u.disabled,
	u.otp_enabled, u.locale, u.signup_reason, u.default_visibility, u.default_sensitive, u.default_language, u.created_at`

func scanUser(row scanner) (*model.User, error) {
	var u model.User
	err := row.Scan(&u.ID, &u.AccountID, &u.Email, &u.PasswordHash, &u.Role, &u.ConfirmedAt, &u.Approved, &u.Disabled,
		&u.OTPEnabled, &u.Locale, &u.SignupReason, &u.DefaultVisibility, &u.DefaultSensitive, &u.DefaultLanguage, &u.CreatedAt)
	return &u, err
}

// InsertUser stores the login for a local account.
func (q Q) InsertUser(ctx context.Context, u *model.User) error {
	if u.ID == 0 {
		u.ID = q.NewID()
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now().UTC()
	}
	if u.DefaultVisibility == "" {
		u.DefaultVisibility = model.Public
	}
	_, err := q.db.ExecContext(ctx, `INSERT INTO users (id, account_id, email, password_hash, role, confirmed_at,
		approved, disabled, otp_enabled, locale, signup_reason, default_visibility, default_sensitive, default_language, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		u.ID, u.AccountID, u.Email, u.PasswordHash, u.Role, u.ConfirmedAt, u.Approved, u.Disabled, u.OTPEnabled,
		u.Locale, u.SignupReason, u.DefaultVisibility, u.DefaultSensitive, u.DefaultLanguage, u.CreatedAt)
	if isUniqueViolation(err) {
		return fmt.Errorf("store: insert user %s: %w", u.Email, ErrConflict)
	}
	return wrap(err, "insert user %s", u.Email)
}

// UpdateUser saves every mutable field of a user.
func (q Q) UpdateUser(ctx context.Context, u *model.User) error {
	res, err := q.db.ExecContext(ctx, `UPDATE users SET email = $1, password_hash = $2, role = $3, confirmed_at = $4,
		approved = $5, disabled = $6, otp_enabled = $7, locale = $8, default_visibility = $9, default_sensitive = $10,
		default_language = $11 WHERE id = $12`,
		u.Email, u.PasswordHash, u.Role, u.ConfirmedAt, u.Approved, u.Disabled, u.OTPEnabled, u.Locale,
		u.DefaultVisibility, u.DefaultSensitive, u.DefaultLanguage, u.ID)
	if isUniqueViolation(err) {
		return fmt.Errorf("store: update user %d: %w", u.ID, ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("store: update user %d: %w", u.ID, err)
	}
	return mustAffect(res, fmt.Sprintf("update user %d", u.ID))
}

// UserByID loads a user.
func (q Q) UserByID(ctx context.Context, id int64) (*model.User, error) {
	u, err := scanUser(q.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users u WHERE u.id = $1`, id))
	return u, notFound(err, fmt.Sprintf("user %d", id))
}

// UserByAccountID loads the user behind a local account.
func (q Q) UserByAccountID(ctx context.Context, accountID int64) (*model.User, error) {
	u, err := scanUser(q.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users u WHERE u.account_id = $1`, accountID))
	return u, notFound(err, fmt.Sprintf("user of account %d", accountID))
}

// UserByEmail loads a user by e-mail address, case-insensitively.
func (q Q) UserByEmail(ctx context.Context, email string) (*model.User, error) {
	u, err := scanUser(q.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users u WHERE lower(u.email) = lower($1)`, email))
	return u, notFound(err, "user "+email)
}

// CountUsers counts local users (all, and those active within the window).
func (q Q) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, wrap(err, "count users")
}

// OwnerAccount is the instance's owner: the first local account with the Owner role,
// or the first local account when none has it.
func (q Q) OwnerAccount(ctx context.Context) (*model.Account, error) {
	a, err := scanAccount(q.db.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts a JOIN users u ON u.account_id = a.id
		ORDER BY CASE WHEN u.role = $1 THEN 0 ELSE 1 END, a.id LIMIT 1`, model.RoleOwner))
	return a, notFound(err, "owner account")
}
