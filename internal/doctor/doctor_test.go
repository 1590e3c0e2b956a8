package doctor

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/blob/s3test"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/fdlimit"
	"github.com/tuskhq/tusk/internal/mail/mailpittest"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// baseConfig is a production-like configuration on a fresh data dir.
func baseConfig(t *testing.T, env map[string]string) config.Config {
	t.Helper()
	vars := map[string]string{"LOCAL_DOMAIN": "social.example", "TUSK_DATA_DIR": t.TempDir()}
	for k, v := range env {
		vars[k] = v
	}
	cfg, err := config.Load(flag.NewFlagSet("test", flag.ContinueOnError), nil, func(k string) string { return vars[k] })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return cfg
}

// closedPort is a loopback port nothing listens on.
func closedPort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

func expect(t *testing.T, name string, got Result, want Status, detail string) {
	t.Helper()
	if got.Status != want || !strings.Contains(got.Detail, detail) || (want != OK && got.Fix == "" && name != "open files unreadable") {
		t.Errorf("%s = %+v; want %s mentioning %q, with a fix unless OK", name, got, want, detail)
	}
}

func TestConfigCheck(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	expect(t, "public domain", checkConfig(ctx, baseConfig(t, nil)), OK, "https://social.example")
	expect(t, "localhost", checkConfig(ctx, baseConfig(t, map[string]string{"LOCAL_DOMAIN": "localhost:3000"})), Warn, "localhost:3000")
	expect(t, "plain http", checkConfig(ctx, baseConfig(t, map[string]string{"LOCAL_HTTPS": "false"})), Warn, "LOCAL_HTTPS")
}

func TestDatabaseCheckSQLite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := baseConfig(t, nil)
	expect(t, "no database", checkDatabase(ctx, cfg), Warn, "no database yet")
	st, err := store.Open(ctx, "", cfg.SQLitePath(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.AppliedVersion(ctx); err != nil { // an empty database, as from a crashed first start
		t.Fatal(err)
	}
	expect(t, "unmigrated", checkDatabase(ctx, cfg), Warn, "schema 0")
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	expect(t, "migrated", checkDatabase(ctx, cfg), OK, "up to date")
	if _, err := st.DB().ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (99999, CURRENT_TIMESTAMP)`); err != nil {
		t.Fatal(err)
	}
	expect(t, "newer schema", checkDatabase(ctx, cfg), Fail, "schema 99999 is newer")
}

func TestDatabaseCheckPostgres(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := storetest.PostgresURL(t)
	st, err := store.Open(ctx, url, "", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	expect(t, "postgres", checkDatabase(ctx, baseConfig(t, map[string]string{"DATABASE_URL": url})), OK, "postgres answers")
	down := "postgres://postgres@127.0.0.1:" + strconv.Itoa(closedPort(t)) + "/test?sslmode=disable&connect_timeout=2"
	expect(t, "postgres down", checkDatabase(ctx, baseConfig(t, map[string]string{"DATABASE_URL": down})), Fail, "")
}

func TestStorageCheck(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := baseConfig(t, nil)
	expect(t, "local", checkStorage(ctx, cfg), OK, "writable")
	blocked := baseConfig(t, nil)
	// A file where the media folder should be: nothing can be written there, even as root.
	if err := os.WriteFile(filepath.Join(blocked.DataDir, "media"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	expect(t, "media is a file", checkStorage(ctx, blocked), Fail, "not writable")
	s3down := baseConfig(t, map[string]string{"S3_BUCKET": "media", "S3_ENDPOINT": "http://127.0.0.1:" + strconv.Itoa(closedPort(t)),
		"S3_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s", "S3_OVERRIDE_PATH_STYLE": "true"})
	expect(t, "s3 down", checkStorage(ctx, s3down), Fail, "S3 bucket media")
}

func TestStorageCheckS3(t *testing.T) {
	t.Parallel()
	o := s3test.Start(t)
	cfg := baseConfig(t, map[string]string{"S3_BUCKET": o.Bucket, "S3_ENDPOINT": "http://" + o.Endpoint, "S3_REGION": o.Region,
		"AWS_ACCESS_KEY_ID": o.AccessKey, "AWS_SECRET_ACCESS_KEY": o.SecretKey, "S3_OVERRIDE_PATH_STYLE": "true"})
	expect(t, "s3", checkStorage(context.Background(), cfg), OK, "S3 bucket "+o.Bucket)
}

func TestSMTPCheck(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	expect(t, "no smtp", checkSMTP(ctx, baseConfig(t, nil)), Warn, "no SMTP server")
	down := baseConfig(t, map[string]string{"SMTP_SERVER": "127.0.0.1", "SMTP_PORT": strconv.Itoa(closedPort(t))})
	expect(t, "smtp down", checkSMTP(ctx, down), Fail, "cannot connect")
	mp := mailpittest.Start(t)
	up := baseConfig(t, map[string]string{"SMTP_SERVER": "127.0.0.1", "SMTP_PORT": strconv.Itoa(mp.SMTPPort)})
	expect(t, "mailpit", checkSMTP(ctx, up), OK, "answers EHLO")
	strict := baseConfig(t, map[string]string{"SMTP_SERVER": "127.0.0.1", "SMTP_PORT": strconv.Itoa(mp.SMTPPort), "SMTP_ENABLE_STARTTLS": "always"})
	expect(t, "mailpit without STARTTLS", checkSMTP(ctx, strict), Fail, "does not offer STARTTLS")
}

func TestFFmpegCheck(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	missing := baseConfig(t, map[string]string{"FFMPEG_PATH": filepath.Join(t.TempDir(), "nowhere", "ffmpeg")})
	expect(t, "missing", checkFFmpeg(ctx, missing), Warn, "not found")
	broken := t.TempDir()
	for _, name := range []string{"ffmpeg", "ffprobe"} {
		if err := os.WriteFile(filepath.Join(broken, name), []byte("#!/bin/sh\nexit 3\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	expect(t, "broken", checkFFmpeg(ctx, baseConfig(t, map[string]string{"FFMPEG_PATH": broken})), Fail, "-version failed")
	if r := checkFFmpeg(ctx, baseConfig(t, nil)); r.Status == Warn {
		t.Skip("ffmpeg is not installed (apt install ffmpeg): the passing path is untested here")
	} else {
		expect(t, "installed", r, OK, "ffmpeg version")
	}
}

func TestOpenFilesJudgement(t *testing.T) {
	t.Parallel()
	expect(t, "low", judgeOpenFiles(fdlimit.Limit{Soft: 1024, Hard: 4096}), Warn, "below the recommended")
	expect(t, "high", judgeOpenFiles(fdlimit.Limit{Soft: 1024, Hard: 1 << 20}), OK, "hard limit 1048576")
	if r := checkOpenFiles(context.Background(), config.Config{}); r.Status == Fail {
		t.Errorf("checkOpenFiles = %+v; the limit is never a failure", r)
	}
}

func TestRedisCheck(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	expect(t, "one process", checkRedis(ctx, baseConfig(t, nil)), OK, "not configured")
	expect(t, "split roles without redis", checkRedis(ctx, baseConfig(t, map[string]string{"TUSK_ROLE": "web"})), Fail, "no Redis")
	down := baseConfig(t, map[string]string{"REDIS_URL": "redis://127.0.0.1:" + strconv.Itoa(closedPort(t)) + "/0"})
	expect(t, "redis down", checkRedis(ctx, down), Fail, "does not answer")
	if c, err := net.Dial("tcp", "127.0.0.1:6379"); err != nil {
		t.Skipf("no Redis on 127.0.0.1:6379 (%v): the passing path is untested here", err)
	} else {
		c.Close()
	}
	expect(t, "redis", checkRedis(ctx, baseConfig(t, map[string]string{"REDIS_URL": "redis://127.0.0.1:6379/0"})), OK, "answers")
}

func TestReportFormatsAndVerdict(t *testing.T) {
	t.Parallel()
	results := Run(context.Background(), baseConfig(t, nil), []Check{
		{"first", func(context.Context, config.Config) Result { return ok("fine") }},
		{"second", func(context.Context, config.Config) Result { return fail("broken", "mend it") }},
	})
	if !Failed(results) || Failed(results[:1]) {
		t.Errorf("Failed(%v) wrong", results)
	}
	var text, js bytes.Buffer
	WriteText(&text, results)
	if !strings.Contains(text.String(), "OK    first") || !strings.Contains(text.String(), "FAIL  second        broken") || !strings.Contains(text.String(), "fix: mend it") {
		t.Errorf("text report = %q", text.String())
	}
	WriteJSON(&js, results)
	var back []Result
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || len(back) != 2 || back[1].Status != Fail || back[1].Fix != "mend it" {
		t.Errorf("JSON report %s = %+v, %v", js.String(), back, err)
	}
}
