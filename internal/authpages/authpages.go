// Package authpages serves the web pages behind tusk's account mails: confirming an
// address, resetting a forgotten password, and changing the address of a signed-in
// member. They are small server-rendered forms without JavaScript; every POST is
// checked against cross-site forgery by websession.ProtectForm.
package authpages

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"strings"

	"github.com/tuskhq/tusk/internal/accounts"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/webform"
	"github.com/tuskhq/tusk/internal/websession"
)

//go:embed templates/pages.html
var templateFiles embed.FS

// pages is parsed once and only read afterwards.
var pages = template.Must(webform.ParsePages(templateFiles, "templates/pages.html"))

// page is the data every template gets.
type page struct {
	Site, Heading, Alert, Notice string
	CSRF, Email, Current, Token  string
}

// Pages serves the account e-mail pages.
type Pages struct {
	Accounts *accounts.Service
	Sessions *websession.Service // signed-in members and CSRF protection
	Config   config.Config
	Log      *slog.Logger
}

// Routes registers the pages on mux.
func (p *Pages) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+accounts.ConfirmationPath, p.confirm)
	mux.HandleFunc("GET /auth/password/new", p.passwordNew)
	mux.Handle("POST /auth/password/new", p.Sessions.ProtectForm(http.HandlerFunc(p.passwordNewSubmit)))
	mux.HandleFunc("GET "+accounts.PasswordResetPath, p.passwordEdit)
	mux.Handle("POST "+accounts.PasswordResetPath, p.Sessions.ProtectForm(http.HandlerFunc(p.passwordEditSubmit)))
	mux.HandleFunc("GET "+accounts.EmailChangeConfirmURL, p.emailConfirm)
	mux.Handle("GET /auth/email/change", p.Sessions.Require(http.HandlerFunc(p.emailChange)))
	mux.Handle("POST /auth/email/change", p.Sessions.ProtectForm(p.Sessions.Require(http.HandlerFunc(p.emailChangeSubmit))))
}

const invalidLink = "This link is invalid, was already used or has expired."

// confirm serves the link of the confirmation mail.
func (p *Pages) confirm(w http.ResponseWriter, r *http.Request) {
	u, err := p.Accounts.Confirm(r.Context(), r.URL.Query().Get(accounts.ConfirmationParam))
	switch {
	case errors.Is(err, accounts.ErrTokenInvalid):
		p.message(w, http.StatusNotFound, "Confirmation failed", invalidLink, "")
	case err != nil:
		p.fail(w, r, err)
	case !u.Approved:
		p.message(w, http.StatusOK, "Address confirmed", "", "Your e-mail address is confirmed. Your account now waits for "+
			"approval by the server's moderators; you can sign in once they approve it.")
	default:
		p.message(w, http.StatusOK, "Address confirmed", "", "Your e-mail address is confirmed. You can now sign in.")
	}
}

func (p *Pages) passwordNew(w http.ResponseWriter, r *http.Request) {
	p.render(w, http.StatusOK, "password_new", page{Heading: "Forgot your password?", CSRF: p.Sessions.FormToken(w, r)})
}

// passwordNewSubmit answers the same whether or not the address has an account.
func (p *Pages) passwordNewSubmit(w http.ResponseWriter, r *http.Request) {
	email := strings.TrimSpace(r.PostForm.Get("email"))
	if email == "" {
		p.render(w, http.StatusUnprocessableEntity, "password_new", page{Heading: "Forgot your password?",
			Alert: "Enter an e-mail address.", CSRF: p.Sessions.FormToken(w, r)})
		return
	}
	if err := p.Accounts.RequestPasswordReset(r.Context(), email); err != nil {
		p.fail(w, r, err)
		return
	}
	p.message(w, http.StatusOK, "Check your mail", "", "If an account uses "+email+", a link to choose a new password "+
		"is on its way there. It works for 6 hours.")
}

func (p *Pages) passwordEdit(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get(accounts.PasswordResetParam)
	err := p.Accounts.CheckPasswordResetToken(r.Context(), token)
	switch {
	case errors.Is(err, accounts.ErrTokenInvalid):
		p.message(w, http.StatusNotFound, "Password reset failed", invalidLink+" Ask for a new link at /auth/password/new.", "")
	case err != nil:
		p.fail(w, r, err)
	default:
		p.render(w, http.StatusOK, "password_edit", page{Heading: "Choose a new password", Token: token, CSRF: p.Sessions.FormToken(w, r)})
	}
}

func (p *Pages) passwordEditSubmit(w http.ResponseWriter, r *http.Request) {
	token, password := r.PostForm.Get(accounts.PasswordResetParam), r.PostForm.Get("password")
	again := func(alert string) {
		p.render(w, http.StatusUnprocessableEntity, "password_edit", page{Heading: "Choose a new password", Alert: alert,
			Token: token, CSRF: p.Sessions.FormToken(w, r)})
	}
	if password != r.PostForm.Get("password_confirmation") {
		again("The two passwords differ.")
		return
	}
	err := p.Accounts.ResetPassword(r.Context(), token, password)
	var invalid *accounts.ValidationError
	switch {
	case errors.As(err, &invalid):
		again(invalid.Error())
	case errors.Is(err, accounts.ErrTokenInvalid):
		p.message(w, http.StatusNotFound, "Password reset failed", invalidLink+" Ask for a new link at /auth/password/new.", "")
	case err != nil:
		p.fail(w, r, err)
	default:
		p.message(w, http.StatusOK, "Password changed", "", "Your password is changed. Every app and browser signed in "+
			"to your account was signed out: sign in again with the new password.")
	}
}

// emailConfirm serves the link of the e-mail change mail.
func (p *Pages) emailConfirm(w http.ResponseWriter, r *http.Request) {
	u, err := p.Accounts.ConfirmEmailChange(r.Context(), r.URL.Query().Get(accounts.EmailChangeParam))
	var invalid *accounts.ValidationError
	switch {
	case errors.Is(err, accounts.ErrTokenInvalid):
		p.message(w, http.StatusNotFound, "E-mail change failed", invalidLink, "")
	case errors.As(err, &invalid):
		p.message(w, http.StatusConflict, "E-mail change failed", "Another account uses this address now.", "")
	case err != nil:
		p.fail(w, r, err)
	default:
		p.message(w, http.StatusOK, "Address changed", "", "Your account now uses "+u.Email+".")
	}
}

func (p *Pages) emailChange(w http.ResponseWriter, r *http.Request) {
	u, _ := websession.Current(r)
	p.render(w, http.StatusOK, "email_change", page{Heading: "Change your e-mail address", Current: u.Email,
		CSRF: p.Sessions.FormToken(w, r)})
}

func (p *Pages) emailChangeSubmit(w http.ResponseWriter, r *http.Request) {
	u, _ := websession.Current(r)
	email := strings.TrimSpace(r.PostForm.Get("email"))
	again := func(alert string) {
		p.render(w, http.StatusUnprocessableEntity, "email_change", page{Heading: "Change your e-mail address",
			Current: u.Email, Email: email, Alert: alert, CSRF: p.Sessions.FormToken(w, r)})
	}
	if _, err := p.Accounts.Authenticate(r.Context(), u.Email, r.PostForm.Get("current_password")); err != nil {
		if errors.Is(err, accounts.ErrBadCredentials) {
			again("The current password is wrong.")
		} else {
			p.fail(w, r, err)
		}
		return
	}
	err := p.Accounts.RequestEmailChange(r.Context(), u.ID, email)
	var invalid *accounts.ValidationError
	switch {
	case errors.As(err, &invalid):
		again(invalid.Error())
	case err != nil:
		p.fail(w, r, err)
	default:
		p.message(w, http.StatusOK, "Check your mail", "", "A link to confirm "+email+" is on its way there; your "+
			"account keeps "+u.Email+" until you follow it.")
	}
}

func (p *Pages) message(w http.ResponseWriter, status int, heading, alert, notice string) {
	p.render(w, status, "message", page{Heading: heading, Alert: alert, Notice: notice})
}

func (p *Pages) fail(w http.ResponseWriter, r *http.Request, err error) {
	p.log().ErrorContext(r.Context(), "account page", "path", r.URL.Path, "err", err)
	p.message(w, http.StatusInternalServerError, "Something went wrong", "Something went wrong on the server. Try again later.", "")
}

func (p *Pages) render(w http.ResponseWriter, status int, name string, pg page) {
	pg.Site = p.Config.SiteTitle
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, pg); err != nil {
		p.log().Error("render account page", "page", name, "err", err)
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return
	}
	websession.SetPageHeaders(w.Header())
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func (p *Pages) log() *slog.Logger {
	if p.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return p.Log
}
