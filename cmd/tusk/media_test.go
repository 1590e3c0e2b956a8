package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/blob/s3test"
)

// TestAdminMediaMigrate runs the media commands as an admin would, against a real S3
// server, on an instance whose emoji were kept in the data dir's old emoji/ folder.
func TestAdminMediaMigrate(t *testing.T) {
	o := s3test.Start(t)
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "emoji"), 0o750)
	os.WriteFile(filepath.Join(dir, "emoji", "old-0123456789abcdef.png"), []byte("an emoji kept before media storage"), 0o644)
	vars := env(map[string]string{"TUSK_DATA_DIR": dir, "S3_BUCKET": o.Bucket, "S3_ENDPOINT": "http://" + o.Endpoint,
		"AWS_ACCESS_KEY_ID": o.AccessKey, "AWS_SECRET_ACCESS_KEY": o.SecretKey, "S3_OVERRIDE_PATH_STYLE": "true"})
	admin := func(args ...string) (string, string) {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := run(context.Background(), append([]string{"admin", "media"}, args...), &out, &errOut, vars); err != nil {
			t.Fatalf("admin media %v: %v (%s)", args, err, errOut.String())
		}
		return out.String(), errOut.String()
	}
	if out, _ := admin("usage"); !strings.Contains(out, "Active backend: local") || !strings.Contains(out, "custom emoji         1") {
		t.Errorf("usage =\n%s", out)
	}
	out, progress := admin("migrate", "--to", "s3")
	if !strings.Contains(out, "moved from local to s3") || !strings.Contains(progress, "1/1 objects") {
		t.Errorf("migrate = %q, progress %q", out, progress)
	}
	if out, _ := admin("usage"); !strings.Contains(out, "Active backend: s3") {
		t.Errorf("usage after the move =\n%s", out)
	}
	if err := run(context.Background(), []string{"admin", "media", "migrate", "--to", "azure"}, io.Discard, io.Discard, vars); err == nil {
		t.Error("migrate --to azure was accepted")
	}
}
