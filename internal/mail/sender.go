package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/tuskhq/tusk/internal/config"
)

// Sender delivers a rendered message.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Configured reports whether mail leaves through SMTP; when it does not, mail goes to
// the log and the admin console says so.
func Configured(c config.MailConfig) bool { return c.Configured() }

// NewSender returns the SMTP sender when SMTP_SERVER is set, otherwise one that logs.
func NewSender(cfg config.Config, log *slog.Logger) Sender {
	if !cfg.Mail.Configured() {
		return LogSender{Log: log}
	}
	return &SMTPSender{Config: cfg.Mail, SiteTitle: cfg.SiteTitle}
}

// LogSender writes each message, in full, to the log instead of sending it: for
// development, and for instances that have not set up SMTP yet.
type LogSender struct{ Log *slog.Logger }

// Send logs m.
func (s LogSender) Send(ctx context.Context, m Message) error {
	if s.Log != nil {
		s.Log.InfoContext(ctx, "mail not sent: SMTP_SERVER is not set", "to", m.To, "subject", m.Subject, "text", m.Text)
	}
	return nil
}

// smtpTimeout bounds connecting and each command; a job's own timeout is longer.
const smtpTimeout = 30 * time.Second

// SMTPSender sends through an SMTP server, one connection per message: mail is rare
// enough that keeping connections open would only meet servers' idle timeouts.
type SMTPSender struct {
	Config    config.MailConfig
	SiteTitle string // the From header's display name
}

// Send delivers m. A 5xx refusal of the recipient is permanent (see Permanent); any
// other failure may succeed later.
func (s *SMTPSender) Send(ctx context.Context, m Message) error {
	msg, err := s.message(m)
	if err != nil {
		return err
	}
	client, err := gomail.NewClient(s.Config.Server, s.options()...)
	if err != nil {
		return fmt.Errorf("mail: smtp client: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail: send to %s via %s: %w", m.To, s.Config.Server, err)
	}
	return nil
}

func (s *SMTPSender) message(m Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	if err := msg.FromFormat(s.SiteTitle, s.Config.From); err != nil {
		// SMTP_FROM_ADDRESS may already carry a display name ("Tusk <tusk@…>").
		if err := msg.From(s.Config.From); err != nil {
			return nil, fmt.Errorf("mail: from %q: %w", s.Config.From, err)
		}
	}
	if err := msg.To(m.To); err != nil {
		return nil, Permanent(fmt.Errorf("mail: recipient %q: %w", m.To, err))
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetGenHeader("Auto-Submitted", "auto-generated") // RFC 3834: no vacation replies
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	return msg, nil
}

func (s *SMTPSender) options() []gomail.Option {
	c := s.Config
	opts := []gomail.Option{gomail.WithPort(c.Port), gomail.WithTimeout(smtpTimeout),
		gomail.WithTLSConfig(&tls.Config{ServerName: c.Server, MinVersion: tls.VersionTLS12, InsecureSkipVerify: !c.VerifyPeer})}
	switch {
	case c.TLS:
		opts = append(opts, gomail.WithSSL())
	case c.StartTLS == config.StartTLSAlways:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case c.StartTLS == config.StartTLSNever:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if auth, ok := s.authType(); ok {
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(c.Login), gomail.WithPassword(c.Password))
	}
	return opts
}

// authType maps SMTP_AUTH_METHOD to go-mail's mechanism; ok is false when tusk sends
// without authenticating (no SMTP_LOGIN, or method none). PLAIN and LOGIN put the
// password on the wire as it is, so go-mail refuses them on an unencrypted connection;
// tusk allows that only when the admin chose so (SMTP_ENABLE_STARTTLS=never) or the
// server is on this machine, where nothing crosses a network.
func (s *SMTPSender) authType() (gomail.SMTPAuthType, bool) {
	c := s.Config
	if c.Login == "" || c.AuthMethod == config.SMTPAuthNone {
		return "", false
	}
	clearOK := !c.TLS && (c.StartTLS == config.StartTLSNever || isLoopback(c.Server))
	switch c.AuthMethod {
	case config.SMTPAuthLogin:
		if clearOK {
			return gomail.SMTPAuthLoginNoEnc, true
		}
		return gomail.SMTPAuthLogin, true
	case config.SMTPAuthCramMD5:
		return gomail.SMTPAuthCramMD5, true
	}
	if clearOK {
		return gomail.SMTPAuthPlainNoEnc, true
	}
	return gomail.SMTPAuthPlain, true
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// permanentError marks a failure no retry can fix.
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent marks err as one that retrying cannot fix.
func Permanent(err error) error { return permanentError{err} }

// IsPermanent reports whether err cannot be fixed by retrying: marked Permanent, or
// the SMTP server refused the recipient with a 5xx reply (no such mailbox, say).
// Every other failure — connection refused, 4xx, timeouts — is worth retrying.
func IsPermanent(err error) bool {
	if errors.As(err, new(permanentError)) {
		return true
	}
	var se *gomail.SendError
	return errors.As(err, &se) && se.Reason == gomail.ErrSMTPRcptTo && se.ErrorCode() >= 500
}
