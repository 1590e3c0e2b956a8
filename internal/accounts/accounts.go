// Package accounts holds the rules for local accounts: who may have which username,
// how passwords are kept, and who may sign in. The HTTP API and the admin CLI both
// create and change accounts through it.
package accounts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/mail"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// DefaultPasswordCost is the bcrypt cost used when Service.PasswordCost is zero.
const DefaultPasswordCost = 11

// ErrBadCredentials means the e-mail address or the password is wrong; which one is
// deliberately not said.
var ErrBadCredentials = errors.New("accounts: wrong e-mail address or password")

// Reasons a user with the right password may still not sign in.
var (
	ErrUnconfirmed = errors.New("accounts: e-mail address not confirmed")
	ErrPending     = errors.New("accounts: waiting for approval")
	ErrDisabled    = errors.New("accounts: login disabled")
	ErrSuspended   = errors.New("accounts: account suspended")
)

// timingHash is a bcrypt hash of a throwaway string. Authenticate compares against it
// when no user has the e-mail address, so that case takes as long as a wrong password.
const timingHash = "$2a$11$Y/EWJdr2zTGjPwNbIQnOheIZf3kNJ7bkpNjHxvgHm5lOeBLV8ed5K"

// Service creates and authenticates local accounts.
type Service struct {
	Store  *store.Store
	Config config.Config
	// PasswordCost is the bcrypt cost for new hashes; 0 means DefaultPasswordCost.
	// Tests lower it to keep fast.
	PasswordCost int
	// Mail queues confirmation, reset and notice mails; nil sends none (tests).
	Mail *mail.Outbox

	// Sessions closes the live streams of revoked tokens; nil closes none.
	Sessions SessionEnder
}

// SessionEnder closes the live streams of a token or of every token of an account.
type SessionEnder interface {
	EndSessions(tokenID, accountID int64)
}

// CreateParams describe a new local account and its login.
type CreateParams struct {
	Username, Email, Password string
	Confirmed, Approved       bool
	Role, Reason, Locale      string
	// AllowReserved lets an operator (the CLI) take a reserved username such as "admin"
	// and an address at a blocked e-mail domain.
	AllowReserved bool
}

// Create validates p and stores the account and its user in one transaction, which
// also queues the confirmation mail for an unconfirmed address and the staff notice for
// an account awaiting approval. Invalid input returns a *ValidationError naming every
// bad field.
func (s *Service) Create(ctx context.Context, p CreateParams) (*model.Account, *model.User, error) {
	if err := s.Validate(ctx, p); err != nil {
		return nil, nil, err
	}
	hash, err := s.HashPassword(p.Password)
	if err != nil {
		return nil, nil, err
	}
	a := s.newAccount(p.Username)
	u := &model.User{Email: p.Email, PasswordHash: hash, Role: p.Role, Approved: p.Approved,
		Locale: p.Locale, SignupReason: p.Reason}
	if p.Confirmed {
		now := time.Now().UTC()
		u.ConfirmedAt = &now
	}
	if err := s.insert(ctx, a, u); err != nil {
		return nil, nil, err
	}
	return a, u, nil
}

func (s *Service) newAccount(username string) *model.Account {
	base := s.Config.BaseURL()
	return &model.Account{Username: username, URI: base + "/users/" + username,
		URL: base + "/@" + username, Discoverable: true}
}

// insert writes both rows or neither. The uniqueness checks in Validate can race
// with a concurrent sign-up; the unique indexes settle it here.
func (s *Service) insert(ctx context.Context, a *model.Account, u *model.User) error {
	return s.Store.Tx(ctx, func(q store.Q) error {
		if err := q.InsertAccount(ctx, a); err != nil {
			return taken(err, "username")
		}
		u.AccountID = a.ID
		if err := q.InsertUser(ctx, u); err != nil {
			return taken(err, "email")
		}
		return s.queueSignupMail(ctx, q, a, u)
	})
}

func taken(err error, field string) error {
	if errors.Is(err, store.ErrConflict) {
		return Invalid(field, "ERR_TAKEN", "has already been taken")
	}
	return fmt.Errorf("accounts: create: %w", err)
}

// Validate checks every field of p, including that the username and e-mail address
// are free (case-insensitively). It returns a *ValidationError or a storage error.
func (s *Service) Validate(ctx context.Context, p CreateParams) error {
	v := &ValidationError{}
	checks := []error{
		s.checkUsername(ctx, p.Username, p.AllowReserved),
		s.CheckEmail(ctx, p.Email, 0),
		ValidatePassword(p.Password),
		ValidateRole(p.Role),
	}
	if !p.AllowReserved { // an operator may use any address; sign-ups may not use blocked domains
		checks = append(checks, s.checkEmailDomain(ctx, p.Email))
	}
	for _, err := range checks {
		if err == nil {
			continue
		}
		ve := asValidation(err)
		if ve == nil {
			return err
		}
		v.Add(ve)
	}
	return v.orNil()
}

func (s *Service) checkUsername(ctx context.Context, username string, allowReserved bool) error {
	if err := ValidateUsername(username); err != nil {
		return err
	}
	if !allowReserved && IsReserved(username) {
		return Invalid("username", "ERR_RESERVED", "is reserved")
	}
	_, err := s.Store.AccountByHandle(ctx, username, "")
	switch {
	case err == nil:
		return Invalid("username", "ERR_TAKEN", "has already been taken")
	case errors.Is(err, store.ErrNotFound):
		return nil
	}
	return fmt.Errorf("accounts: check username: %w", err)
}

// CheckEmail validates an address and checks no user other than exceptUserID has it.
func (s *Service) CheckEmail(ctx context.Context, email string, exceptUserID int64) error {
	if err := ValidateEmail(email); err != nil {
		return err
	}
	u, err := s.Store.UserByEmail(ctx, email)
	switch {
	case err == nil && u.ID != exceptUserID:
		return Invalid("email", "ERR_TAKEN", "has already been taken")
	case err == nil, errors.Is(err, store.ErrNotFound):
		return nil
	}
	return fmt.Errorf("accounts: check email: %w", err)
}

// HashPassword validates and bcrypt-hashes a password.
func (s *Service) HashPassword(password string) (string, error) {
	if err := ValidatePassword(password); err != nil {
		return "", err
	}
	cost := s.PasswordCost
	if cost == 0 {
		cost = DefaultPasswordCost
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		return "", fmt.Errorf("accounts: hash password: %w", err)
	}
	return string(h), nil
}

// Authenticate finds the user with this e-mail address and checks the password.
// It does not check whether the user may sign in; see CanSignIn.
func (s *Service) Authenticate(ctx context.Context, email, password string) (*model.User, error) {
	u, err := s.Store.UserByEmail(ctx, strings.TrimSpace(email))
	if errors.Is(err, store.ErrNotFound) {
		_ = bcrypt.CompareHashAndPassword([]byte(timingHash), []byte(password))
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, fmt.Errorf("accounts: authenticate: %w", err)
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil {
		return nil, ErrBadCredentials
	}
	return u, nil
}

// SetPassword replaces a user's password and revokes every token the user holds,
// so sessions opened with the old password end.
func (s *Service) SetPassword(ctx context.Context, userID int64, password string) error {
	hash, err := s.HashPassword(password)
	if err != nil {
		return err
	}
	return s.Store.Tx(ctx, func(q store.Q) error { return s.setPasswordHash(ctx, q, userID, hash) })
}

// setPasswordHash stores a new password hash and revokes the user's tokens, in q's transaction.
func (s *Service) setPasswordHash(ctx context.Context, q store.Q, userID int64, hash string) error {
	u, err := q.UserByID(ctx, userID)
	if err != nil {
		return fmt.Errorf("accounts: set password: %w", err)
	}
	u.PasswordHash = hash
	if err := q.UpdateUser(ctx, u); err != nil {
		return fmt.Errorf("accounts: set password: %w", err)
	}
	if s.Sessions != nil {
		q.AfterCommit(func() { s.Sessions.EndSessions(0, u.AccountID) })
	}
	return q.RevokeUserTokens(ctx, userID)
}

// CanSignIn returns nil when u may sign in and use tokens, or one of ErrUnconfirmed,
// ErrPending, ErrDisabled, ErrSuspended. a is u's account.
func CanSignIn(u *model.User, a *model.Account) error {
	switch {
	case u.Disabled:
		return ErrDisabled
	case a != nil && a.SuspendedAt != nil:
		return ErrSuspended
	case u.ConfirmedAt == nil:
		return ErrUnconfirmed
	case !u.Approved:
		return ErrPending
	}
	return nil
}

// SignInRefusal explains, for a sign-in page, why a user with the right password may
// not sign in there: CanSignIn's reasons, and two-factor authentication, which the
// server-rendered sign-in pages cannot check yet. It is "" when u may sign in.
func SignInRefusal(u *model.User, a *model.Account) string {
	switch err := CanSignIn(u, a); {
	case errors.Is(err, ErrDisabled):
		return "This account has been disabled by the server's administrators."
	case errors.Is(err, ErrSuspended):
		return "This account has been suspended."
	case errors.Is(err, ErrUnconfirmed):
		return "This account's e-mail address has not been confirmed yet."
	case errors.Is(err, ErrPending):
		return "This account is waiting for approval by the server's moderators."
	case err != nil:
		return "This account may not sign in."
	case u.OTPEnabled:
		return "This account uses two-factor authentication, which this sign-in page cannot check yet."
	}
	return ""
}
