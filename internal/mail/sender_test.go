package mail

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/mail/mailpittest"
)

// work runs the worker on one job, as the queue would.
func work(t *testing.T, w *Worker, args DeliverArgs) error {
	t.Helper()
	return w.Work(context.Background(), &river.Job[DeliverArgs]{JobRow: &rivertype.JobRow{ID: 1}, Args: args})
}

// fakeTokens mints predictable secrets, or fails with err.
type fakeTokens struct {
	err    error
	issued []string
}

func (f *fakeTokens) IssueToken(_ context.Context, kind string, userID int64, email string) (string, error) {
	if f.err != nil {
		return "", f.err
	}
	f.issued = append(f.issued, kind+"/"+email)
	return "s3cret+/=", nil
}

func smtpWorker(cfg config.Config, tokens TokenIssuer) *Worker {
	return &Worker{Config: cfg, Sender: NewSender(cfg, nil), Tokens: tokens}
}

func TestWorkerDeliversBothPartsOverSMTP(t *testing.T) {
	mp := mailpittest.Start(t)
	cfg := testConfig()
	mp.Configure(&cfg)
	tokens := &fakeTokens{}
	err := work(t, smtpWorker(cfg, tokens), DeliverArgs{Template: TemplateConfirmation, To: "ada@example.org",
		Data: map[string]string{"username": "ada"},
		Link: &Link{Kind: "confirmation", UserID: 9, URL: "https://tusk.test/auth/confirmation?confirmation_token="}})
	if err != nil {
		t.Fatal(err)
	}
	m := mp.WaitFor(t, "ada@example.org", 1)[0]
	if got := m.Recipients(); len(got) != 1 || got[0] != "ada@example.org" {
		t.Errorf("recipients = %v", got)
	}
	if m.From.Address != "notifications@tusk.test" || m.From.Name != "Tusk Test" {
		t.Errorf("From = %+v", m.From)
	}
	if m.Subject != "Confirm your e-mail address for Tusk Test" {
		t.Errorf("Subject = %q", m.Subject)
	}
	link := "https://tusk.test/auth/confirmation?confirmation_token=s3cret%2B%2F%3D"
	if !strings.Contains(m.Text, "Hello ada,") || !strings.Contains(m.Text, link) {
		t.Errorf("text part:\n%s", m.Text)
	}
	if !strings.Contains(m.HTML, `href="`+link+`"`) || !strings.Contains(m.HTML, "Tusk Test") {
		t.Errorf("HTML part:\n%s", m.HTML)
	}
	if len(tokens.issued) != 1 || tokens.issued[0] != "confirmation/ada@example.org" {
		t.Errorf("tokens issued: %v", tokens.issued)
	}
}

// TestSMTPAuthentication checks each method against a server that knows one login: the
// right password delivers, a wrong one fails (and stays retryable: the admin may fix it).
func TestSMTPAuthentication(t *testing.T) {
	passwords := filepath.Join(t.TempDir(), "smtp-passwords")
	if err := os.WriteFile(passwords, []byte("tusk:right-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	mp := mailpittest.Start(t, "--smtp-auth-file", passwords, "--smtp-auth-allow-insecure")
	for _, method := range []string{config.SMTPAuthPlain, config.SMTPAuthLogin} {
		t.Run(method, func(t *testing.T) {
			cfg := testConfig()
			mp.Configure(&cfg)
			cfg.Mail.StartTLS, cfg.Mail.AuthMethod, cfg.Mail.Login = config.StartTLSAuto, method, "tusk"
			msg := Message{To: method + "@example.org", Subject: "hi", Text: "t", HTML: "<p>h</p>"}
			cfg.Mail.Password = "wrong-secret"
			err := NewSender(cfg, nil).Send(context.Background(), msg)
			if err == nil || IsPermanent(err) || !strings.Contains(err.Error(), "535") {
				t.Errorf("wrong password: %v; want a retryable 535 error", err)
			}
			cfg.Mail.Password = "right-secret"
			if err := NewSender(cfg, nil).Send(context.Background(), msg); err != nil {
				t.Fatal(err)
			}
			mp.WaitFor(t, msg.To, 1)
		})
	}
}

func TestRefusedRecipientIsNotRetried(t *testing.T) {
	mp := mailpittest.Start(t, `--smtp-allowed-recipients=@example\.org$`)
	cfg := testConfig()
	mp.Configure(&cfg)
	err := work(t, smtpWorker(cfg, nil), DeliverArgs{Template: TemplateEmailChangeNotice, To: "nobody@refused.test",
		Data: sampleData[TemplateEmailChangeNotice]})
	var cancel *rivertype.JobCancelError
	if !errors.As(err, &cancel) {
		t.Fatalf("Work = %v; want a JobCancel error for a 5xx refusal", err)
	}
	if !strings.Contains(err.Error(), "550") {
		t.Errorf("error %q does not carry the server's reply", err)
	}
}

func TestUnreachableServerIsRetried(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close() // nothing listens there now
	cfg := testConfig()
	cfg.Mail = config.MailConfig{Server: "127.0.0.1", Port: port, From: "n@tusk.test", StartTLS: config.StartTLSNever}
	err = work(t, smtpWorker(cfg, nil), DeliverArgs{Template: TemplateEmailChangeNotice, To: "ada@example.org",
		Data: sampleData[TemplateEmailChangeNotice]})
	var cancel *rivertype.JobCancelError
	if err == nil || errors.As(err, &cancel) {
		t.Errorf("Work = %v; want an ordinary error, for the queue to retry", err)
	}
}

func TestUnknownTemplateAndObsoleteMail(t *testing.T) {
	var logged bytes.Buffer
	w := &Worker{Config: testConfig(), Sender: LogSender{Log: slog.New(slog.NewTextHandler(&logged, nil))},
		Tokens: &fakeTokens{err: ErrObsolete}}
	var cancel *rivertype.JobCancelError
	if err := work(t, w, DeliverArgs{Template: "nope", To: "a@example.org"}); !errors.As(err, &cancel) {
		t.Errorf("unknown template: %v; want JobCancel", err)
	}
	err := work(t, w, DeliverArgs{Template: TemplateConfirmation, To: "a@example.org", Data: map[string]string{"username": "a"},
		Link: &Link{Kind: "confirmation", UserID: 1, URL: "https://tusk.test/x?t="}})
	if err != nil || logged.Len() != 0 {
		t.Errorf("obsolete mail: err %v, logged %q; want it dropped quietly", err, logged.String())
	}
}

func TestLogSenderWritesTheWholeText(t *testing.T) {
	var logged bytes.Buffer
	cfg := testConfig() // no SMTP_SERVER
	s := NewSender(cfg, slog.New(slog.NewJSONHandler(&logged, nil)))
	if _, ok := s.(LogSender); !ok || Configured(cfg.Mail) {
		t.Fatalf("NewSender without SMTP_SERVER = %T, Configured %v; want LogSender, false", s, Configured(cfg.Mail))
	}
	m, err := Render(cfg, TemplatePasswordReset, "ada@example.org", "https://tusk.test/auth/password/edit?reset_password_token=xyz",
		map[string]string{"username": "ada"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	out := logged.String()
	for _, want := range []string{`"to":"ada@example.org"`, `"subject":"Reset your password on Tusk Test"`, "reset_password_token=xyz", "signs you out"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
}

// TestTLS sends over STARTTLS and over implicit TLS to a server with a self-signed
// certificate: accepted with SMTP_OPENSSL_VERIFY_MODE=none, refused with peer.
func TestTLS(t *testing.T) {
	cert, key := selfSigned(t)
	tests := []struct {
		name  string
		flags []string
		set   func(*config.MailConfig)
	}{
		{"starttls", []string{"--smtp-require-starttls"}, func(c *config.MailConfig) { c.StartTLS = config.StartTLSAlways }},
		{"implicit", []string{"--smtp-require-tls"}, func(c *config.MailConfig) { c.TLS = true }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mp := mailpittest.Start(t, append([]string{"--smtp-tls-cert", cert, "--smtp-tls-key", key}, tt.flags...)...)
			cfg := testConfig()
			mp.Configure(&cfg)
			tt.set(&cfg.Mail)
			msg := Message{To: tt.name + "@example.org", Subject: "over TLS", Text: "t", HTML: "<p>h</p>"}
			cfg.Mail.VerifyPeer = true
			if err := NewSender(cfg, nil).Send(context.Background(), msg); err == nil || IsPermanent(err) {
				t.Errorf("unverifiable certificate with verify mode peer: %v; want a retryable error", err)
			}
			cfg.Mail.VerifyPeer = false
			if err := NewSender(cfg, nil).Send(context.Background(), msg); err != nil {
				t.Fatal(err)
			}
			mp.WaitFor(t, msg.To, 1)
		})
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key, returning their paths.
func selfSigned(t *testing.T) (certPath, keyPath string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certPath, keyPath = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certPath, keyPath
}
