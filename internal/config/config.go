// Package config turns environment variables (Mastodon's names where one exists) and
// command-line flags into one validated Config value.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strings"
)

// Registration modes, as the admin chooses them.
const (
	RegistrationsOpen     = "open"
	RegistrationsApproval = "approval"
	RegistrationsClosed   = "closed"
)

// Config is everything tusk reads from its environment, validated.
type Config struct {
	LocalDomain        string // the instance's identity in handles: user@LocalDomain
	WebDomain          string // where the instance is served; defaults to LocalDomain
	Bind               string
	Port               int
	DataDir            string // SQLite file and local media live here
	DatabaseURL        string // postgres://… selects PostgreSQL; empty means SQLite in DataDir
	DBPool             int    // 0 means sized automatically
	SingleUserMode     bool
	LocalHTTPS         bool // derived: whether URLs use https://
	Registrations      string
	MaxStatusChars     int
	OAuthPasswordGrant bool
	SiteTitle          string
	ContactEmail       string
	LogLevel           string
	LogFormat          string // text or json

	Jobs  JobsConfig  // background queues: settings_jobs.go
	Mail  MailConfig  // outgoing mail: settings_mail.go
	Admin AdminConfig // admin console and metrics: settings_admin.go
	Push  PushConfig  // Web Push: settings_push.go

	Discovery DiscoveryConfig // trends and discovery: settings_discovery.go
	Instance  InstanceConfig  // instance information and feed access: settings_instance.go

	Network NetworkConfig // outbound guard, proxies, rate limits: settings_network.go
	Redis   RedisConfig   // event bus shared between processes: settings_redis.go
	Storage StorageConfig // media backends, media host, remote media cache: settings_storage.go

	StreamingBaseURL string // where apps open streams, when not the web host: settings_streaming.go

	Federation FederationConfig // ActivityPub: settings_federation.go
	Backup     BackupConfig     // scheduled backups: settings_backup.go
}

// BaseURL is the scheme and web host every local URL starts with.
func (c Config) BaseURL() string {
	scheme := "http"
	if c.LocalHTTPS {
		scheme = "https"
	}
	return scheme + "://" + c.WebDomain
}

// ListenAddr is the address the HTTP server binds.
func (c Config) ListenAddr() string {
	return net.JoinHostPort(c.Bind, fmt.Sprint(c.Port))
}

// IsPostgres reports whether the PostgreSQL engine is selected.
func (c Config) IsPostgres() bool { return c.DatabaseURL != "" }

// SQLitePath is the embedded database file.
func (c Config) SQLitePath() string { return filepath.Join(c.DataDir, "tusk.db") }

// Load reads the flags in args (after the subcommand) and falls back to getenv, then to
// defaults. fs must be fresh; Load registers every setting on it so --help lists them.
func Load(fs *flag.FlagSet, args []string, getenv func(string) string) (Config, error) {
	flags := make(map[string]*string, len(settings))
	for _, s := range settings {
		flags[s.env] = fs.String(s.flag, "", fmt.Sprintf("%s (env %s, default %q)", s.usage, s.env, s.def))
	}
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	raw := make(map[string]string, len(settings))
	for _, s := range settings {
		raw[s.env] = resolve(*flags[s.env], getenv(s.env), s.def)
	}
	return fromRaw(raw)
}

func resolve(flagValue, envValue, def string) string {
	if flagValue != "" {
		return flagValue
	}
	if envValue != "" {
		return envValue
	}
	return def
}

func fromRaw(raw map[string]string) (Config, error) {
	var c Config
	var errs []error
	for _, s := range settings {
		if err := s.apply(&c, raw[s.env]); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", s.env, err))
		}
	}
	if err := derive(&c, raw); err != nil {
		errs = append(errs, err)
	}
	return c, errors.Join(errs...)
}

// derive fills the settings that depend on others.
func derive(c *Config, raw map[string]string) error {
	if c.WebDomain == "" {
		c.WebDomain = c.LocalDomain
	}
	if c.DatabaseURL == "" && raw["DB_HOST"] != "" {
		c.DatabaseURL = composeDatabaseURL(raw)
	}
	https, err := deriveHTTPS(raw["LOCAL_HTTPS"], c.WebDomain)
	if err != nil {
		return fmt.Errorf("LOCAL_HTTPS: %w", err)
	}
	c.LocalHTTPS = https
	if c.SingleUserMode {
		c.Registrations = RegistrationsClosed // one person's instance takes no sign-ups, as Mastodon's
	}
	deriveRedis(c, raw)
	if err := deriveStorage(c); err != nil {
		return err
	}
	return deriveJobs(c)
}

// composeDatabaseURL builds a postgres URL from Mastodon's separate DB_* variables.
func composeDatabaseURL(raw map[string]string) string {
	u := url.URL{Scheme: "postgres", Host: net.JoinHostPort(raw["DB_HOST"], raw["DB_PORT"]), Path: "/" + raw["DB_NAME"]}
	if raw["DB_USER"] != "" {
		u.User = url.UserPassword(raw["DB_USER"], raw["DB_PASS"])
		if raw["DB_PASS"] == "" {
			u.User = url.User(raw["DB_USER"])
		}
	}
	return u.String()
}

// deriveHTTPS: an explicit LOCAL_HTTPS wins; otherwise local development hosts use
// http and everything else https, as a reverse proxy terminates TLS in front of tusk.
func deriveHTTPS(v, webDomain string) (bool, error) {
	if v != "" {
		return parseBool(v)
	}
	host := webDomain
	if h, _, err := net.SplitHostPort(webDomain); err == nil {
		host = h
	}
	return !(host == "localhost" || strings.HasPrefix(host, "127.") || host == "::1"), nil
}
