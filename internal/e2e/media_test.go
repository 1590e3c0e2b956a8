package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	mastodon "github.com/mattn/go-mastodon"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

// TestMediaThroughClient uploads pictures with a third-party client library, attaches
// them to a status, reads the status back as another member and checks that the files
// behind the URLs are the processed images; then sets an avatar the way the library does.
func TestMediaThroughClient(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			in := servertest.Start(t, engine, func(c *config.Config) { c.Registrations = config.RegistrationsOpen })
			if err := in.StartJobs(context.Background()); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { in.StopJobs(5 * time.Second) })
			checkMedia(t, in)
		})
	}
}

func checkMedia(t *testing.T, in *servertest.Instance) {
	ctx := context.Background()
	app, err := mastodon.RegisterApp(ctx, &mastodon.AppConfig{Server: in.URL, ClientName: "e2e", Scopes: "read write follow"})
	if err != nil {
		t.Fatalf("RegisterApp: %v", err)
	}
	signUp(t, in, app, "painter")
	signUp(t, in, app, "viewer")
	painter, viewer := logIn(t, in, app, "painter"), logIn(t, in, app, "viewer")

	fromBytes, err := painter.UploadMediaFromBytes(ctx, encodeTestPNG(t, 1200, 900))
	if err != nil {
		t.Fatalf("UploadMediaFromBytes: %v", err)
	}
	jpgPath := filepath.Join(t.TempDir(), "holiday.jpg")
	if err := os.WriteFile(jpgPath, encodeTestJPEG(t, 640, 480), 0o600); err != nil {
		t.Fatal(err)
	}
	fromFile, err := painter.UploadMedia(ctx, jpgPath)
	if err != nil {
		t.Fatalf("UploadMedia: %v", err)
	}
	if err := painter.GetMediaStatus(ctx, fromFile); err != nil {
		t.Errorf("GetMediaStatus: %v", err)
	}
	st, err := painter.PostStatus(ctx, &mastodon.Toot{MediaIDs: []mastodon.ID{fromBytes.ID, fromFile.ID}, Visibility: "public"})
	if err != nil {
		t.Fatalf("PostStatus with media only: %v", err)
	}
	seen, err := viewer.GetStatus(ctx, st.ID)
	if err != nil || len(seen.MediaAttachments) != 2 {
		t.Fatalf("GetStatus = %+v, %v", seen, err)
	}
	wants := []struct {
		format string
		w, h   int
	}{{"png", 1200, 900}, {"jpeg", 640, 480}}
	for i, a := range seen.MediaAttachments {
		if a.Type != "image" || a.BlurHash == "" || a.Meta.Original.Width != int64(wants[i].w) || a.Meta.Small.Width == 0 {
			t.Errorf("attachment %d = %+v", i, a)
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(readMediaURL(t, in, a.URL)))
		if err != nil || format != wants[i].format || cfg.Width != wants[i].w || cfg.Height != wants[i].h {
			t.Errorf("attachment %d file: %v %s %v; want %s %d×%d", i, cfg, format, err, wants[i].format, wants[i].w, wants[i].h)
		}
		readMediaURL(t, in, a.PreviewURL)
	}

	avatar := "data:image/png;base64," + base64.StdEncoding.EncodeToString(encodeTestPNG(t, 600, 300))
	acc, err := painter.AccountUpdate(ctx, &mastodon.Profile{Avatar: avatar})
	if err != nil {
		t.Fatalf("AccountUpdate with an avatar: %v", err)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(readMediaURL(t, in, acc.Avatar)))
	if err != nil || cfg.Width != 300 || cfg.Height != 300 {
		t.Errorf("avatar file %v, %v; want 300×300", cfg, err)
	}
}

// readMediaURL reads the object a media URL names from the instance's storage (the
// /system route that serves them over HTTP is the storage area's).
func readMediaURL(t *testing.T, in *servertest.Instance, url string) []byte {
	t.Helper()
	key, ok := strings.CutPrefix(url, in.Social.Media.Host+"/")
	if !ok {
		t.Fatalf("URL %s is not under the media host %s", url, in.Social.Media.Host)
	}
	obj, err := in.Social.Media.Store.Open(context.Background(), key)
	if err != nil {
		t.Fatalf("open %s: %v", key, err)
	}
	defer obj.Close()
	data, err := io.ReadAll(obj)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func testPicture(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(x + y), 255})
		}
	}
	return img
}

func encodeTestPNG(t *testing.T, w, h int) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, testPicture(w, h)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeTestJPEG(t *testing.T, w, h int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, testPicture(w, h), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
