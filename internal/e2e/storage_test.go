package e2e

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	mastodon "github.com/mattn/go-mastodon"

	"github.com/tuskhq/tusk/internal/blob"
	"github.com/tuskhq/tusk/internal/blob/s3test"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/emoji"
	"github.com/tuskhq/tusk/internal/server"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

// TestMediaMovesUnderAClient posts a status with a custom emoji through the client
// library, moves the media to S3 while the instance runs, and checks that the client
// still reads the timeline (compressed) and the emoji image at the same URL.
func TestMediaMovesUnderAClient(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			o := s3test.Start(t)
			in := servertest.Start(t, engine, func(c *config.Config) {
				c.Registrations = config.RegistrationsOpen
				c.Storage.S3 = config.S3Config{Bucket: o.Bucket, Endpoint: o.Endpoint, Region: o.Region, AccessKey: o.AccessKey,
					SecretKey: o.SecretKey, PathStyle: true, MultipartThreshold: o.MultipartThreshold}
			})
			in.MediaStorage.Interval = 20 * time.Millisecond
			ctx := context.Background()
			app, err := mastodon.RegisterApp(ctx, &mastodon.AppConfig{Server: in.URL, ClientName: "e2e", Scopes: "read write follow"})
			if err != nil {
				t.Fatal(err)
			}
			signUp(t, in, app, "alice")
			alice := logIn(t, in, app, "alice")
			image := importEmoji(t, in, "moving_emoji")
			st, err := alice.PostStatus(ctx, &mastodon.Toot{Status: "before the move :moving_emoji:", Visibility: "public"})
			if err != nil || len(st.Emojis) != 1 {
				t.Fatalf("PostStatus = %+v, %v", st, err)
			}
			url := st.Emojis[0].URL
			fetchImage(t, url, image)

			m := &blob.Move{Backends: in.MediaStorage.Backends, SetState: server.SetMediaState(in.Store), Settle: 50 * time.Millisecond}
			if err := m.Run(ctx, blob.BackendLocal, blob.BackendS3); err != nil {
				t.Fatal(err)
			}
			os.RemoveAll(server.LocalMediaDir(in.Config)) // only S3 can answer now
			time.Sleep(50 * time.Millisecond)             // longer than the switch's interval

			home, err := alice.GetTimelineHome(ctx, &mastodon.Pagination{Limit: 20})
			if err != nil || len(home) != 1 || len(home[0].Emojis) != 1 || home[0].Emojis[0].URL != url {
				t.Fatalf("home after the move = %+v, %v; want the status with the same emoji URL", home, err)
			}
			fetchImage(t, url, image)
		})
	}
}

func importEmoji(t *testing.T, in *servertest.Instance, shortcode string) []byte {
	t.Helper()
	var img bytes.Buffer
	png.Encode(&img, image.NewGray(image.Rect(0, 0, 8, 8)))
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, shortcode+".png"), img.Bytes(), 0o644)
	im := &emoji.Importer{Store: in.Store, Blobs: in.MediaStorage, Catalogue: in.Social.Emojis}
	if res, err := im.Import(context.Background(), dir, emoji.Options{}); err != nil || len(res.Imported) != 1 {
		t.Fatalf("import = %+v, %v", res, err)
	}
	return img.Bytes()
}

func fetchImage(t *testing.T, url string, want []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !bytes.Equal(got, want) || resp.Header.Get("Content-Type") != "image/png" {
		t.Errorf("GET %s = %d %s, %d bytes; want the image", url, resp.StatusCode, resp.Header.Get("Content-Type"), len(got))
	}
}
