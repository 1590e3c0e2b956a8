package oauth

import (
	"errors"
	"net/http"
	"strings"

	"github.com/tuskhq/tusk/internal/accounts"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/ipblock"
	"github.com/tuskhq/tusk/internal/ratelimit"
)

// errRegistrationsClosed answers sign-ups when the instance takes none.
var errRegistrationsClosed = &httpx.Error{Code: http.StatusForbidden, Msg: "This action is not allowed"}

// errSignUpsBlocked answers sign-ups from an address an admin blocked from signing up.
var errSignUpsBlocked = &httpx.Error{Code: http.StatusForbidden, Msg: "Sign-ups from your network are not allowed"}

// maxReason bounds the text a sign-up sends for moderators to read.
const maxReason = 1000

// signUp serves POST /api/v1/accounts: an app with write:accounts registers a new
// member and receives a token acting for them. The account starts unconfirmed; its
// creation queues the confirmation mail (and, in approval mode, the staff notice) in
// the same transaction. Until the address is confirmed the token is answered with 403.
func (s *Service) signUp(w http.ResponseWriter, r *http.Request) error {
	auth, err := RequireApp(r, "write:accounts")
	if err != nil {
		return err
	}
	if auth.App == nil {
		return httpx.ErrUnauthorized // only tokens issued to a client can sign members up
	}
	mode, err := s.Accounts.RegistrationsMode(r.Context())
	if err != nil {
		return err
	}
	if mode == config.RegistrationsClosed {
		return errRegistrationsClosed
	}
	severity, err := s.Accounts.SignUpIPSeverity(r.Context(), ratelimit.ClientIP(r, s.Config.Network.TrustedProxies))
	if err != nil {
		return err
	}
	if severity == ipblock.SignUpBlock || severity == ipblock.NoAccess {
		return errSignUpsBlocked
	}
	if severity == ipblock.SignUpRequiresApproval {
		mode = config.RegistrationsApproval
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	cp, err := s.signUpParams(r, p, mode == config.RegistrationsApproval)
	if err != nil {
		return writeInvalid(w, err)
	}
	_, u, err := s.Accounts.Create(r.Context(), cp)
	if err != nil {
		return writeInvalid(w, err)
	}
	token, refresh, t, err := s.IssueToken(r.Context(), auth.App.ID, &u.ID, auth.App.Scopes)
	if err != nil {
		return err
	}
	return httpx.OK(w, renderToken(token, refresh, t))
}

// signUpParams reads and validates a sign-up, reporting every bad field at once.
func (s *Service) signUpParams(r *http.Request, p httpx.Params, approval bool) (accounts.CreateParams, error) {
	cp := accounts.CreateParams{
		Username: p.String("username"), Email: strings.TrimSpace(p.String("email")),
		Password: p.String("password"), Locale: p.String("locale"),
		Reason: strings.TrimSpace(p.String("reason")),
		// As on Mastodon, a new member confirms the address through the mailed link
		// before the token works; approval mode also waits for an admin.
		Approved: !approval,
	}
	v := &accounts.ValidationError{}
	if agreed, _ := p.Bool("agreement", false); !agreed {
		v.Add(accounts.Invalid("agreement", "ERR_ACCEPTED", "must be accepted"))
	}
	if approval && cp.Reason == "" {
		v.Add(accounts.Invalid("reason", "ERR_BLANK", "can't be blank"))
	}
	if len([]rune(cp.Reason)) > maxReason {
		v.Add(accounts.Invalid("reason", "ERR_TOO_LONG", "is too long (maximum is 1000 characters)"))
	}
	err := s.Accounts.Validate(r.Context(), cp)
	var fields *accounts.ValidationError
	if err != nil && !errors.As(err, &fields) {
		return cp, err
	}
	v.Add(fields)
	if len(v.Fields) > 0 {
		return cp, v
	}
	return cp, nil
}

// writeInvalid renders a validation failure as Mastodon's 422 body with details;
// any other error is returned for httpx to render.
func writeInvalid(w http.ResponseWriter, err error) error {
	var v *accounts.ValidationError
	if !errors.As(err, &v) {
		return err
	}
	return httpx.WriteJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": v.Error(), "details": v.Details()})
}

// errAlreadyConfirmed answers a resend for an address that needs no confirmation.
var errAlreadyConfirmed = &httpx.Error{Code: http.StatusForbidden,
	Msg: "This method is only available while the e-mail is awaiting confirmation"}

// resendConfirmation serves POST /api/v1/emails/confirmations: a member who signed up
// through an app and has not confirmed yet asks for the mail again, optionally to a
// corrected address ("email"). Only such members hold tokens before confirming, since
// every sign-in refuses unconfirmed addresses.
func (s *Service) resendConfirmation(w http.ResponseWriter, r *http.Request) error {
	auth, err := RequireUserAwaitingConfirmation(r, "write:accounts")
	if err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	err = s.Accounts.ResendConfirmation(r.Context(), auth.User.ID, p.String("email"))
	if errors.Is(err, accounts.ErrAlreadyConfirmed) {
		return errAlreadyConfirmed
	}
	if err != nil {
		return writeInvalid(w, err)
	}
	return httpx.OK(w, map[string]any{})
}
