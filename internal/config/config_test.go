package config

import (
	"flag"
	"strings"
	"testing"
)

func load(t *testing.T, args []string, env map[string]string) (Config, error) {
	t.Helper()
	return Load(flag.NewFlagSet("test", flag.ContinueOnError), args, func(k string) string { return env[k] })
}

func TestDefaults(t *testing.T) {
	c, err := load(t, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.LocalDomain != "localhost:3000" || c.Port != 3000 || c.Bind != "127.0.0.1" || c.DataDir != "./data" {
		t.Errorf("defaults = %+v", c)
	}
	if c.BaseURL() != "http://localhost:3000" {
		t.Errorf("BaseURL() = %q; want http://localhost:3000", c.BaseURL())
	}
	if c.IsPostgres() || c.Registrations != RegistrationsClosed || c.MaxStatusChars != 500 {
		t.Errorf("defaults = %+v", c)
	}
}

func TestFlagBeatsEnv(t *testing.T) {
	c, err := load(t, []string{"--port", "4000"}, map[string]string{"PORT": "5000", "LOCAL_DOMAIN": "social.example"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Port != 4000 {
		t.Errorf("Port = %d; want 4000", c.Port)
	}
	if !c.LocalHTTPS || c.BaseURL() != "https://social.example" {
		t.Errorf("BaseURL() = %q; want https://social.example", c.BaseURL())
	}
}

func TestLocalHTTPSOverride(t *testing.T) {
	c, err := load(t, nil, map[string]string{"LOCAL_DOMAIN": "social.example", "LOCAL_HTTPS": "false"})
	if err != nil || c.LocalHTTPS {
		t.Errorf("LocalHTTPS = %v, err %v; want false", c.LocalHTTPS, err)
	}
}

func TestDBVariablesComposeURL(t *testing.T) {
	c, err := load(t, nil, map[string]string{"DB_HOST": "db", "DB_USER": "u", "DB_PASS": "p@ss", "DB_NAME": "m"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "postgres://u:p%40ss@db:5432/m"; c.DatabaseURL != want {
		t.Errorf("DatabaseURL = %q; want %q", c.DatabaseURL, want)
	}
}

func TestInvalidValuesNameTheVariable(t *testing.T) {
	for _, tc := range []struct{ env, value string }{
		{"PORT", "http"}, {"PORT", "70000"}, {"DB_POOL", "-1"}, {"LOCAL_DOMAIN", "bad domain"},
		{"DATABASE_URL", "mysql://x"}, {"SINGLE_USER_MODE", "maybe"}, {"TUSK_REGISTRATIONS", "sometimes"},
		{"LOCAL_HTTPS", "perhaps"}, {"BIND", "not-an-ip"},
	} {
		_, err := load(t, nil, map[string]string{tc.env: tc.value})
		if err == nil || !strings.Contains(err.Error(), tc.env) {
			t.Errorf("%s=%q: error %v; want one naming %s", tc.env, tc.value, err, tc.env)
		}
	}
}

func TestSingleUserModeClosesRegistrations(t *testing.T) {
	c, err := load(t, nil, map[string]string{"SINGLE_USER_MODE": "true", "TUSK_REGISTRATIONS": "open"})
	if err != nil || c.Registrations != RegistrationsClosed {
		t.Errorf("single-user mode: Registrations = %q, %v; want closed", c.Registrations, err)
	}
}

func TestMailSettings(t *testing.T) {
	c, err := load(t, nil, map[string]string{"LOCAL_DOMAIN": "social.example:8443"})
	if err != nil {
		t.Fatal(err)
	}
	want := MailConfig{Port: 587, From: "notifications@social.example", AuthMethod: SMTPAuthPlain,
		StartTLS: StartTLSAuto, VerifyPeer: true}
	if c.Mail != want || c.Mail.Configured() {
		t.Errorf("mail defaults = %+v; want %+v, not configured", c.Mail, want)
	}
	c, err = load(t, []string{"--smtp-server", "smtp.example"}, map[string]string{"SMTP_PORT": "465", "SMTP_TLS": "true",
		"SMTP_ENABLE_STARTTLS": "false", "SMTP_AUTH_METHOD": "LOGIN", "SMTP_OPENSSL_VERIFY_MODE": "none",
		"SMTP_FROM_ADDRESS": "Tusk <tusk@mail.example>"})
	if err != nil {
		t.Fatal(err)
	}
	want = MailConfig{Server: "smtp.example", Port: 465, From: "Tusk <tusk@mail.example>", AuthMethod: SMTPAuthLogin,
		StartTLS: StartTLSNever, TLS: true}
	if c.Mail != want || !c.Mail.Configured() {
		t.Errorf("mail = %+v; want %+v, configured", c.Mail, want)
	}
}

func TestInvalidMailValuesNameTheVariable(t *testing.T) {
	for _, tc := range []struct{ env, value string }{
		{"SMTP_PORT", "0"}, {"SMTP_PORT", "smtp"}, {"SMTP_AUTH_METHOD", "xoauth"}, {"SMTP_ENABLE_STARTTLS", "sometimes"},
		{"SMTP_TLS", "maybe"}, {"SMTP_OPENSSL_VERIFY_MODE", "client_once"}, {"SMTP_FROM_ADDRESS", "nobody"},
	} {
		_, err := load(t, nil, map[string]string{tc.env: tc.value})
		if err == nil || !strings.Contains(err.Error(), tc.env) {
			t.Errorf("%s=%q: error %v; want one naming %s", tc.env, tc.value, err, tc.env)
		}
	}
}
