package doctor

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/smtp"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"

	"github.com/tuskhq/tusk/internal/blob"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/fdlimit"
	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/media"
	"github.com/tuskhq/tusk/internal/store"
)

// RecommendedOpenFiles is the open-file limit below which the doctor warns: each
// streaming connection holds a descriptor, and a few tens of thousands of members
// online need that many (docs/operations.md, "Many streaming connections").
const RecommendedOpenFiles = 65536

// checkConfig: the settings loaded (config validated them); what remains are choices
// that work but are likely mistakes in production.
func checkConfig(_ context.Context, cfg config.Config) Result {
	host, _, err := net.SplitHostPort(cfg.LocalDomain)
	if err != nil {
		host = cfg.LocalDomain
	}
	if host == "localhost" || net.ParseIP(host) != nil {
		return warn(fmt.Sprintf("LOCAL_DOMAIN is %s: fine for trying tusk, but other servers cannot reach it and it can never change once accounts exist", cfg.LocalDomain),
			"set LOCAL_DOMAIN to the instance's public domain before creating accounts")
	}
	if !cfg.LocalHTTPS {
		return warn("LOCAL_HTTPS is off, so links and ActivityPub ids use http://", "serve through TLS and leave LOCAL_HTTPS unset (or true)")
	}
	return ok(fmt.Sprintf("valid; instance %s, roles %s", cfg.BaseURL(), strings.Join(cfg.Jobs.Roles(), ",")))
}

// checkDatabase opens the database without migrating it and compares its schema with
// the binary's.
func checkDatabase(ctx context.Context, cfg config.Config) Result {
	if cfg.DatabaseURL == "" {
		if _, err := os.Stat(cfg.SQLitePath()); err != nil {
			return warn("no database yet at "+cfg.SQLitePath(), "run tusk migrate (or tusk serve, which migrates first)")
		}
	}
	st, err := store.Open(ctx, cfg.DatabaseURL, cfg.SQLitePath(), store.Options{Pool: jobs.PoolSize(cfg)})
	if err != nil {
		return fail(err.Error(), "check DATABASE_URL (or DB_HOST, DB_USER …) and that the database server runs and accepts this user")
	}
	defer st.Close()
	if err := st.DB().PingContext(ctx); err != nil {
		return fail(fmt.Sprintf("%s does not answer: %v", st.Engine(), err), "start the database server, or fix DATABASE_URL")
	}
	v, err := st.AppliedVersion(ctx)
	if err != nil {
		return fail("cannot read the schema version: "+err.Error(), "check the database user may read and create tables")
	}
	switch want := st.SchemaVersion(); {
	case v > want:
		return fail(fmt.Sprintf("%s schema %d is newer than this binary's %d", st.Engine(), v, want),
			"run the newer tusk release that migrated it, or restore the pre-upgrade backup (docs/upgrading.md)")
	case v < want:
		return warn(fmt.Sprintf("%s schema %d; this binary carries %d", st.Engine(), v, want), "run tusk migrate (tusk serve also migrates at start)")
	}
	return ok(fmt.Sprintf("%s answers; schema %d, up to date", st.Engine(), v))
}

// checkStorage writes and removes a file in the local media folder, and asks for the
// S3 bucket when one is configured.
func checkStorage(ctx context.Context, cfg config.Config) Result {
	dir := filepath.Join(cfg.DataDir, "media")
	if err := probeWritable(dir); err != nil {
		return fail("local media folder not writable: "+err.Error(), fmt.Sprintf("create %s and give it to the user tusk runs as (chown)", dir))
	}
	s3 := cfg.Storage.S3
	if s3.Bucket == "" {
		return ok(dir + " is writable; no S3 bucket configured")
	}
	b, err := blob.NewS3(blob.S3Options{Endpoint: s3.Endpoint, Secure: s3.Secure, Region: s3.Region, Bucket: s3.Bucket,
		AccessKey: s3.AccessKey, SecretKey: s3.SecretKey, PathStyle: s3.PathStyle})
	if err == nil {
		err = b.Check(ctx)
	}
	if err != nil {
		return fail(fmt.Sprintf("S3 bucket %s at %s: %v", s3.Bucket, s3.Endpoint, err), "check S3_ENDPOINT, S3_BUCKET and the access keys; create the bucket if it does not exist")
	}
	return ok(fmt.Sprintf("%s is writable; S3 bucket %s at %s answers", dir, s3.Bucket, s3.Endpoint))
}

func probeWritable(dir string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".doctor-*")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// checkSMTP connects to the SMTP server and greets it (EHLO), without sending mail.
func checkSMTP(ctx context.Context, cfg config.Config) Result {
	m := cfg.Mail
	if !m.Configured() {
		return warn("no SMTP server: mails (confirmations, password resets) are only written to the log", "set SMTP_SERVER, SMTP_PORT, SMTP_LOGIN, SMTP_PASSWORD and SMTP_FROM_ADDRESS")
	}
	addr := net.JoinHostPort(m.Server, strconv.Itoa(m.Port))
	fix := fmt.Sprintf("check SMTP_SERVER and SMTP_PORT, and that this machine may connect to %s (firewalls often block port 25)", addr)
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return fail(fmt.Sprintf("cannot connect to %s: %v", addr, err), fix)
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	if m.TLS {
		conn = tls.Client(conn, &tls.Config{ServerName: m.Server, InsecureSkipVerify: !m.VerifyPeer}) //nolint:gosec // the admin's SMTP_OPENSSL_VERIFY_MODE
	}
	c, err := smtp.NewClient(conn, m.Server)
	if err != nil {
		conn.Close()
		return fail(fmt.Sprintf("%s did not greet as an SMTP server: %v", addr, err), fix)
	}
	defer c.Close()
	if err := c.Hello(heloName(cfg)); err != nil {
		return fail(fmt.Sprintf("%s refused EHLO: %v", addr, err), fix)
	}
	if starttls, _ := c.Extension("STARTTLS"); !starttls && !m.TLS && m.StartTLS == config.StartTLSAlways {
		return fail(addr+" does not offer STARTTLS, which SMTP_ENABLE_STARTTLS=always requires", "use the server's TLS port with SMTP_TLS=true, or SMTP_ENABLE_STARTTLS=auto")
	}
	_ = c.Quit()
	return ok(addr + " answers EHLO")
}

func heloName(cfg config.Config) string {
	if h, _, err := net.SplitHostPort(cfg.WebDomain); err == nil {
		return h
	}
	return cfg.WebDomain
}

// checkFFmpeg looks for ffmpeg and ffprobe and asks ffmpeg its version.
func checkFFmpeg(ctx context.Context, cfg config.Config) Result {
	ff := media.LocateFFmpeg(cfg.Storage.FFmpegPath)
	if ff == nil {
		return warn("ffmpeg or ffprobe not found: video and audio uploads are refused", "install ffmpeg (apt install ffmpeg), or point FFMPEG_PATH at it")
	}
	out, err := exec.CommandContext(ctx, ff.FFmpeg, "-version").Output()
	if err != nil {
		return fail(fmt.Sprintf("%s -version failed: %v", ff.FFmpeg, err), "reinstall ffmpeg, or point FFMPEG_PATH at a working one")
	}
	first, _, _ := strings.Cut(string(out), "\n")
	return ok(strings.TrimSpace(first) + " at " + ff.FFmpeg)
}

// checkOpenFiles compares the open-file limit tusk can raise itself to (the hard
// limit) with the recommended figure.
func checkOpenFiles(_ context.Context, _ config.Config) Result {
	lim, err := fdlimit.Get()
	if err != nil {
		return warn("cannot read the open-file limit: "+err.Error(), "")
	}
	return judgeOpenFiles(lim)
}

func judgeOpenFiles(lim fdlimit.Limit) Result {
	detail := fmt.Sprintf("hard limit %d (soft %d; tusk serve raises the soft limit to the hard one)", lim.Hard, lim.Soft)
	if lim.Hard < RecommendedOpenFiles {
		return warn(detail+fmt.Sprintf(", below the recommended %d: streaming connections will run out", RecommendedOpenFiles),
			"set LimitNOFILE=1048576 in the systemd unit (deploy/tusk.service), or raise nofile in /etc/security/limits.conf")
	}
	return ok(detail)
}

// checkRedis pings the Redis server when one is configured.
func checkRedis(ctx context.Context, cfg config.Config) Result {
	if !cfg.Redis.Enabled() {
		if !cfg.Jobs.Web || !cfg.Jobs.Streaming || !cfg.Jobs.Worker {
			return fail("this process has only some roles (TUSK_ROLE) but no Redis: events from one process never reach streams held by another",
				"set REDIS_URL on every tusk process")
		}
		return ok("not configured; events stay within the process (enough for one process)")
	}
	opts, err := redis.ParseURL(cfg.Redis.URL)
	if err != nil {
		return fail("REDIS_URL: "+err.Error(), "fix REDIS_URL (redis://[:password@]host:port/db)")
	}
	opts.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled} // plain servers lack it
	c := redis.NewClient(opts)
	defer c.Close()
	if err := c.Ping(ctx).Err(); err != nil {
		return fail(fmt.Sprintf("redis at %s does not answer: %v", opts.Addr, err), "start Redis, or fix REDIS_URL")
	}
	return ok("redis at " + opts.Addr + " answers")
}
