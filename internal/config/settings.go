package config

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// setting is one configurable value: its environment name, flag, default and parser.
type setting struct {
	env, flag, def, usage string
	apply                 func(c *Config, v string) error
}

var domainPattern = regexp.MustCompile(`^[a-zA-Z0-9.-]+(:[0-9]{1,5})?$`)

// settings lists every variable tusk reads, by group; each group lives in its own file.
var settings = slices.Concat(coreSettings, jobsSettings, mailSettings, adminSettings, discoverySettings, instanceSettings, networkSettings, pushSettings, redisSettings, storageSettings, streamingSettings, federationSettings, backupSettings)

// coreSettings are the instance's identity, network, database and posting limits.
// DB_HOST and friends are read into the raw map and composed into DatabaseURL by derive.
var coreSettings = []setting{
	{"LOCAL_DOMAIN", "local-domain", "localhost:3000", "domain in users' handles", func(c *Config, v string) error {
		c.LocalDomain = strings.ToLower(v)
		return checkDomain(v)
	}},
	{"WEB_DOMAIN", "web-domain", "", "host the instance is served on, if not LOCAL_DOMAIN", func(c *Config, v string) error {
		c.WebDomain = strings.ToLower(v)
		if v == "" {
			return nil
		}
		return checkDomain(v)
	}},
	{"BIND", "bind", "127.0.0.1", "address to listen on", func(c *Config, v string) error {
		c.Bind = v
		if net.ParseIP(v) == nil && v != "localhost" {
			return fmt.Errorf("%q is not an IP address", v)
		}
		return nil
	}},
	{"PORT", "port", "3000", "port to listen on", func(c *Config, v string) (err error) {
		c.Port, err = parseInt(v, 0, 65535)
		return err
	}},
	{"TUSK_DATA_DIR", "data-dir", "./data", "folder for the SQLite database and local media", func(c *Config, v string) error {
		c.DataDir = v
		return nil
	}},
	{"DATABASE_URL", "database-url", "", "postgres:// URL; empty means SQLite in the data dir", func(c *Config, v string) error {
		c.DatabaseURL = v
		return checkDatabaseURL(v)
	}},
	{"DB_HOST", "db-host", "", "PostgreSQL host (used when DATABASE_URL is empty)", nop},
	{"DB_PORT", "db-port", "5432", "PostgreSQL port", func(_ *Config, v string) error { _, err := parseInt(v, 1, 65535); return err }},
	{"DB_NAME", "db-name", "tusk_production", "PostgreSQL database name", nop},
	{"DB_USER", "db-user", "tusk", "PostgreSQL user", nop},
	{"DB_PASS", "db-pass", "", "PostgreSQL password", nop},
	{"DB_POOL", "db-pool", "0", "maximum database connections; 0 sizes the pool automatically", func(c *Config, v string) (err error) {
		c.DBPool, err = parseInt(v, 0, 10000)
		return err
	}},
	{"SINGLE_USER_MODE", "single-user-mode", "false", "redirect the landing page to the only account's profile", func(c *Config, v string) (err error) {
		c.SingleUserMode, err = parseBool(v)
		return err
	}},
	{"LOCAL_HTTPS", "local-https", "", "serve URLs as https://; default: true unless the domain is localhost or 127.x", nop},
	{"TUSK_REGISTRATIONS", "registrations", RegistrationsClosed, "sign-up mode: open, approval or closed", func(c *Config, v string) error {
		c.Registrations = v
		switch v {
		case RegistrationsOpen, RegistrationsApproval, RegistrationsClosed:
			return nil
		}
		return fmt.Errorf("%q is not one of open, approval, closed", v)
	}},
	{"MAX_TOOT_CHARS", "max-status-chars", "500", "maximum characters in a status", func(c *Config, v string) (err error) {
		c.MaxStatusChars, err = parseInt(v, 1, 100000)
		return err
	}},
	{"OAUTH_PASSWORD_GRANT", "oauth-password-grant", "true", "allow OAuth's password grant", func(c *Config, v string) (err error) {
		c.OAuthPasswordGrant, err = parseBool(v)
		return err
	}},
	{"TUSK_SITE_TITLE", "site-title", "tusk", "the instance's name", func(c *Config, v string) error {
		c.SiteTitle = v
		return nil
	}},
	{"TUSK_CONTACT_EMAIL", "contact-email", "", "the admins' contact address", func(c *Config, v string) error {
		c.ContactEmail = v
		return nil
	}},
	{"LOG_LEVEL", "log-level", "info", "debug, info, warn or error", func(c *Config, v string) error {
		c.LogLevel = v
		switch v {
		case "debug", "info", "warn", "error":
			return nil
		}
		return fmt.Errorf("%q is not one of debug, info, warn, error", v)
	}},
	{"LOG_FORMAT", "log-format", "text", "log lines as text (key=value) or json (one object a line)", func(c *Config, v string) error {
		c.LogFormat = v
		if v == "text" || v == "json" {
			return nil
		}
		return fmt.Errorf("%q is not text or json", v)
	}},
}

func nop(*Config, string) error { return nil }

func checkDomain(v string) error {
	if !domainPattern.MatchString(v) {
		return fmt.Errorf("%q is not a host name (with an optional :port)", v)
	}
	return nil
}

func checkDatabaseURL(v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return fmt.Errorf("must be a postgres:// URL")
	}
	return nil
}

func parseInt(v string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%q is not a whole number from %d to %d", v, lo, hi)
	}
	return n, nil
}

func parseBool(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "true", "1", "yes", "on":
		return true, nil
	case "false", "0", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("%q is not true or false", v)
}

// Reference writes the configuration reference table (for --help and docs).
func Reference(w *tabwriter.Writer) {
	fmt.Fprintln(w, "VARIABLE\tFLAG\tDEFAULT\tMEANING")
	for _, s := range settings {
		fmt.Fprintf(w, "%s\t--%s\t%s\t%s\n", s.env, s.flag, s.def, s.usage)
	}
	w.Flush()
}
