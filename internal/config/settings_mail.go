package config

import (
	"fmt"
	"net"
	"strings"
)

// STARTTLS policies for SMTP_ENABLE_STARTTLS.
const (
	StartTLSAuto   = "auto"   // upgrade when the server offers STARTTLS
	StartTLSAlways = "always" // refuse to send without STARTTLS
	StartTLSNever  = "never"  // never upgrade
)

// SMTP authentication methods for SMTP_AUTH_METHOD.
const (
	SMTPAuthPlain   = "plain"
	SMTPAuthLogin   = "login"
	SMTPAuthCramMD5 = "cram_md5"
	SMTPAuthNone    = "none"
)

// MailConfig holds the settings for outgoing mail (SMTP). With no Server, mail is
// written to the log instead of sent.
type MailConfig struct {
	Server     string
	Port       int
	Login      string
	Password   string
	From       string // defaults to notifications@ the local domain's host
	AuthMethod string // plain, login, cram_md5 or none
	StartTLS   string // auto, always or never
	TLS        bool   // implicit TLS from the first byte (port 465), instead of STARTTLS
	VerifyPeer bool   // check the server's certificate (SMTP_OPENSSL_VERIFY_MODE=peer)
}

// Configured reports whether an SMTP server is set.
func (m MailConfig) Configured() bool { return m.Server != "" }

// mailSettings are the variables for outgoing mail (SMTP), with Mastodon's names.
// They follow coreSettings, so LOCAL_DOMAIN is known when the sender address defaults.
var mailSettings = []setting{
	{"SMTP_SERVER", "smtp-server", "", "SMTP host; empty writes mail to the log", func(c *Config, v string) error {
		c.Mail.Server = v
		return nil
	}},
	{"SMTP_PORT", "smtp-port", "587", "SMTP port", func(c *Config, v string) (err error) {
		c.Mail.Port, err = parseInt(v, 1, 65535)
		return err
	}},
	{"SMTP_LOGIN", "smtp-login", "", "SMTP user name; empty sends without authenticating", func(c *Config, v string) error {
		c.Mail.Login = v
		return nil
	}},
	{"SMTP_PASSWORD", "smtp-password", "", "SMTP password", func(c *Config, v string) error {
		c.Mail.Password = v
		return nil
	}},
	{"SMTP_FROM_ADDRESS", "smtp-from-address", "", "sender address; default notifications@LOCAL_DOMAIN", func(c *Config, v string) error {
		if v == "" {
			v = "notifications@" + hostOnly(c.LocalDomain)
		}
		c.Mail.From = v
		if !strings.Contains(v, "@") {
			return fmt.Errorf("%q is not an e-mail address", v)
		}
		return nil
	}},
	{"SMTP_AUTH_METHOD", "smtp-auth-method", SMTPAuthPlain, "plain, login, cram_md5 or none", func(c *Config, v string) error {
		c.Mail.AuthMethod = strings.ToLower(v)
		switch c.Mail.AuthMethod {
		case SMTPAuthPlain, SMTPAuthLogin, SMTPAuthCramMD5, SMTPAuthNone:
			return nil
		}
		return fmt.Errorf("%q is not one of plain, login, cram_md5, none", v)
	}},
	{"SMTP_ENABLE_STARTTLS", "smtp-enable-starttls", StartTLSAuto, "auto, always (true) or never (false)", func(c *Config, v string) error {
		switch strings.ToLower(v) {
		case StartTLSAuto:
			c.Mail.StartTLS = StartTLSAuto
		case StartTLSAlways, "true":
			c.Mail.StartTLS = StartTLSAlways
		case StartTLSNever, "false":
			c.Mail.StartTLS = StartTLSNever
		default:
			return fmt.Errorf("%q is not one of auto, always, never (or true, false)", v)
		}
		return nil
	}},
	{"SMTP_TLS", "smtp-tls", "false", "implicit TLS from the first byte (usually port 465)", func(c *Config, v string) (err error) {
		c.Mail.TLS, err = parseBool(v)
		return err
	}},
	{"SMTP_OPENSSL_VERIFY_MODE", "smtp-openssl-verify-mode", "peer", "peer checks the SMTP server's certificate; none does not", func(c *Config, v string) error {
		switch strings.ToLower(v) {
		case "peer":
			c.Mail.VerifyPeer = true
		case "none":
			c.Mail.VerifyPeer = false
		default:
			return fmt.Errorf("%q is not one of peer, none", v)
		}
		return nil
	}},
}

// hostOnly drops a :port from a domain.
func hostOnly(domain string) string {
	if h, _, err := net.SplitHostPort(domain); err == nil {
		return h
	}
	return domain
}
