package mastoapi_test

import (
	"context"
	"testing"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/server/servertest"
)

// TestUploadWithStorageDown: when the S3 backend cannot be reached, an upload answers
// 503 with a reason and leaves no attachment behind.
func TestUploadWithStorageDown(t *testing.T) {
	down := func(c *config.Config) {
		c.Storage.S3 = config.S3Config{Enabled: true, Bucket: "media", Endpoint: "127.0.0.1:9", Region: "us-east-1",
			AccessKey: "tusk", SecretKey: "tusk-secret", PathStyle: true, Protocol: "http"}
	}
	enginesWith(t, down, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		errorMessage(t, uploadFile(t, in, alice, "/api/v2/media", upload{pngOf(t, 40, 30), "p.png", "image/png"}, nil), 503, "upload with S3 down")
		var n int
		if err := in.Store.DB().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM media_attachments`).Scan(&n); err != nil || n != 0 {
			t.Errorf("attachments stored = %d, %v; want none", n, err)
		}
	})
}
