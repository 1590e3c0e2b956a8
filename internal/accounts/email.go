package accounts

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/mail"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/webform"
)

// Kinds of single-use tokens mailed to members.
const (
	TokenConfirmation  = "confirmation"
	TokenPasswordReset = "password_reset"
	TokenEmailChange   = "email_change"
)

// Token lifetimes, as Mastodon's: two days to confirm an address, six hours to reset a password.
var tokenLifetimes = map[string]time.Duration{
	TokenConfirmation:  48 * time.Hour,
	TokenPasswordReset: 6 * time.Hour,
	TokenEmailChange:   48 * time.Hour,
}

// The web pages the mailed links open (served by authpages), and their token parameter.
const (
	ConfirmationPath      = "/auth/confirmation"
	ConfirmationParam     = "confirmation_token"
	PasswordResetPath     = "/auth/password/edit"
	PasswordResetParam    = "reset_password_token"
	EmailChangeConfirmURL = "/auth/email/confirm"
	EmailChangeParam      = "token"
)

// Errors of the e-mail flows.
var (
	ErrTokenInvalid     = errors.New("accounts: the link is invalid, was already used or has expired")
	ErrAlreadyConfirmed = errors.New("accounts: the e-mail address is already confirmed")
)

func hashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// IssueToken mints a token of kind for the mail about to go to email (mail.TokenIssuer).
// A mail that no longer applies — the account is gone or already confirmed, the
// address changed, the new address was taken meanwhile — yields mail.ErrObsolete.
func (s *Service) IssueToken(ctx context.Context, kind string, userID int64, email string) (string, error) {
	lifetime, ok := tokenLifetimes[kind]
	if !ok {
		return "", mail.Permanent(fmt.Errorf("accounts: unknown token kind %q", kind))
	}
	u, err := s.Store.UserByID(ctx, userID)
	if errors.Is(err, store.ErrNotFound) {
		return "", mail.ErrObsolete
	}
	if err != nil {
		return "", fmt.Errorf("accounts: issue %s token: %w", kind, err)
	}
	switch {
	case kind == TokenConfirmation && u.ConfirmedAt != nil,
		kind != TokenEmailChange && !strings.EqualFold(u.Email, email):
		return "", mail.ErrObsolete
	case kind == TokenEmailChange:
		if err := s.CheckEmail(ctx, email, userID); asValidation(err) != nil {
			return "", mail.ErrObsolete
		} else if err != nil {
			return "", err
		}
	}
	secret, now := webform.RandomSecret(), time.Now().UTC()
	t := &store.UserToken{UserID: userID, Kind: kind, Hash: hashToken(secret), Email: email,
		CreatedAt: now, ExpiresAt: now.Add(lifetime)}
	if err := s.Store.Writer().InsertUserToken(ctx, t); err != nil {
		return "", fmt.Errorf("accounts: %w", err)
	}
	return secret, nil
}

// queueSignupMail queues, in q's transaction, what a new account's creation sends: the
// confirmation link when the address is unconfirmed, and the staff notice when the
// account waits for approval.
func (s *Service) queueSignupMail(ctx context.Context, q store.Q, a *model.Account, u *model.User) error {
	if u.ConfirmedAt == nil {
		if err := s.queueConfirmation(ctx, q, a.Username, u); err != nil {
			return err
		}
	}
	if !u.Approved {
		return mail.NotifyNewSignup(ctx, s.Mail, q, mail.Signup{Username: a.Username, Email: u.Email, Reason: u.SignupReason})
	}
	return nil
}

func (s *Service) queueConfirmation(ctx context.Context, q store.Q, username string, u *model.User) error {
	return s.Mail.Queue(ctx, q, mail.DeliverArgs{Template: mail.TemplateConfirmation, To: u.Email,
		Data: map[string]string{"username": username},
		Link: &mail.Link{Kind: TokenConfirmation, UserID: u.ID, URL: s.Mail.LinkURL(ConfirmationPath, ConfirmationParam)}})
}

// Confirm confirms the address a confirmation link was sent to. An account in
// approval mode still waits for an admin afterwards.
func (s *Service) Confirm(ctx context.Context, secret string) (*model.User, error) {
	var u *model.User
	err := s.Store.Tx(ctx, func(q store.Q) error {
		t, err := s.useToken(ctx, q, TokenConfirmation, secret)
		if err != nil {
			return err
		}
		if u, err = q.UserByID(ctx, t.UserID); err != nil {
			return fmt.Errorf("accounts: confirm: %w", err)
		}
		if !strings.EqualFold(u.Email, t.Email) {
			return ErrTokenInvalid // sent to an address the account no longer has
		}
		if u.ConfirmedAt != nil {
			return nil
		}
		now := time.Now().UTC()
		u.ConfirmedAt = &now
		return wrapErr(q.UpdateUser(ctx, u), "confirm")
	})
	return u, err
}

// ResendConfirmation queues a new confirmation link for an unconfirmed user, first
// changing the address to email when one is given (a typo at sign-up).
func (s *Service) ResendConfirmation(ctx context.Context, userID int64, email string) error {
	email = strings.TrimSpace(email)
	if email != "" {
		if err := s.CheckEmail(ctx, email, userID); err != nil {
			return err
		}
	}
	return s.Store.Tx(ctx, func(q store.Q) error {
		u, err := q.UserByID(ctx, userID)
		if err != nil {
			return fmt.Errorf("accounts: resend confirmation: %w", err)
		}
		if u.ConfirmedAt != nil {
			return ErrAlreadyConfirmed
		}
		if email != "" && email != u.Email {
			u.Email = email
			if err := q.UpdateUser(ctx, u); err != nil {
				return taken(err, "email")
			}
		}
		a, err := q.AccountByID(ctx, u.AccountID)
		if err != nil {
			return fmt.Errorf("accounts: resend confirmation: %w", err)
		}
		return s.queueConfirmation(ctx, q, a.Username, u)
	})
}

// RequestPasswordReset mails a reset link to the user with this address. An unknown
// address is not an error, so the answer cannot tell who has an account.
func (s *Service) RequestPasswordReset(ctx context.Context, email string) error {
	u, err := s.Store.UserByEmail(ctx, strings.TrimSpace(email))
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("accounts: password reset: %w", err)
	}
	a, err := s.Store.AccountByID(ctx, u.AccountID)
	if err != nil {
		return fmt.Errorf("accounts: password reset: %w", err)
	}
	return s.Store.Tx(ctx, func(q store.Q) error {
		return s.Mail.Queue(ctx, q, mail.DeliverArgs{Template: mail.TemplatePasswordReset, To: u.Email,
			Data: map[string]string{"username": a.Username},
			Link: &mail.Link{Kind: TokenPasswordReset, UserID: u.ID, URL: s.Mail.LinkURL(PasswordResetPath, PasswordResetParam)}})
	})
}

// CheckPasswordResetToken reports whether a reset link can still be used, without using it.
func (s *Service) CheckPasswordResetToken(ctx context.Context, secret string) error {
	_, err := s.Store.LiveUserToken(ctx, TokenPasswordReset, hashToken(secret), time.Now())
	if errors.Is(err, store.ErrNotFound) {
		return ErrTokenInvalid
	}
	return err
}

// ResetPassword sets a new password through a reset link. As SetPassword does, it
// revokes every token the user holds; every other reset link stops working too.
func (s *Service) ResetPassword(ctx context.Context, secret, password string) error {
	hash, err := s.HashPassword(password)
	if err != nil {
		return err
	}
	return s.Store.Tx(ctx, func(q store.Q) error {
		t, err := s.useToken(ctx, q, TokenPasswordReset, secret)
		if err != nil {
			return err
		}
		u, err := q.UserByID(ctx, t.UserID)
		if err != nil {
			return fmt.Errorf("accounts: reset password: %w", err)
		}
		if !strings.EqualFold(u.Email, t.Email) {
			return ErrTokenInvalid
		}
		if err := s.setPasswordHash(ctx, q, u.ID, hash); err != nil {
			return err
		}
		return q.ExpireUserTokens(ctx, u.ID, TokenPasswordReset, time.Now())
	})
}

// RequestEmailChange starts moving a member to a new address: a link to confirm it
// goes to the new address, a notice to the current one, and the change applies when
// the link is followed (ConfirmEmailChange). Earlier change links stop working.
func (s *Service) RequestEmailChange(ctx context.Context, userID int64, newEmail string) error {
	newEmail = strings.TrimSpace(newEmail)
	if err := s.CheckEmail(ctx, newEmail, userID); err != nil {
		return err
	}
	return s.Store.Tx(ctx, func(q store.Q) error {
		u, err := q.UserByID(ctx, userID)
		if err != nil {
			return fmt.Errorf("accounts: change e-mail: %w", err)
		}
		if strings.EqualFold(u.Email, newEmail) {
			return Invalid("email", "ERR_UNCHANGED", "is your current address")
		}
		a, err := q.AccountByID(ctx, u.AccountID)
		if err != nil {
			return fmt.Errorf("accounts: change e-mail: %w", err)
		}
		if err := q.ExpireUserTokens(ctx, userID, TokenEmailChange, time.Now()); err != nil {
			return err
		}
		err = s.Mail.Queue(ctx, q, mail.DeliverArgs{Template: mail.TemplateEmailChange, To: newEmail,
			Data: map[string]string{"username": a.Username},
			Link: &mail.Link{Kind: TokenEmailChange, UserID: userID, URL: s.Mail.LinkURL(EmailChangeConfirmURL, EmailChangeParam)}})
		if err != nil {
			return err
		}
		return s.Mail.Queue(ctx, q, mail.DeliverArgs{Template: mail.TemplateEmailChangeNotice, To: u.Email,
			Data: map[string]string{"username": a.Username, "new_email": newEmail, "contact": s.Config.ContactEmail}})
	})
}

// ConfirmEmailChange applies the address an e-mail change link was sent to; the
// address counts as confirmed, since the member just proved to read it.
func (s *Service) ConfirmEmailChange(ctx context.Context, secret string) (*model.User, error) {
	var u *model.User
	err := s.Store.Tx(ctx, func(q store.Q) error {
		t, err := s.useToken(ctx, q, TokenEmailChange, secret)
		if err != nil {
			return err
		}
		if u, err = q.UserByID(ctx, t.UserID); err != nil {
			return fmt.Errorf("accounts: confirm e-mail change: %w", err)
		}
		u.Email = t.Email
		if u.ConfirmedAt == nil {
			now := time.Now().UTC()
			u.ConfirmedAt = &now
		}
		if err := q.UpdateUser(ctx, u); err != nil {
			return taken(err, "email")
		}
		return nil
	})
	return u, err
}

// useToken spends a live token of kind, or fails with ErrTokenInvalid.
func (s *Service) useToken(ctx context.Context, q store.Q, kind, secret string) (*store.UserToken, error) {
	if secret == "" {
		return nil, ErrTokenInvalid
	}
	t, err := q.UseUserToken(ctx, kind, hashToken(secret), time.Now())
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrTokenInvalid
	}
	if err != nil {
		return nil, fmt.Errorf("accounts: %w", err)
	}
	return t, nil
}

func wrapErr(err error, what string) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("accounts: %s: %w", what, err)
}
