package blob_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/blob"
	"github.com/tuskhq/tusk/internal/blob/s3test"
)

// backends runs fn on an empty Local folder and an empty bucket on a real S3 server.
func backends(t *testing.T, fn func(t *testing.T, s blob.Store)) {
	t.Run("local", func(t *testing.T) { fn(t, &blob.Local{Root: t.TempDir()}) })
	t.Run("s3", func(t *testing.T) { fn(t, newS3(t, "")) })
}

func newS3(t testing.TB, prefix string) *blob.S3 {
	o := s3test.Start(t)
	o.KeyPrefix = prefix
	s, err := blob.NewS3(o)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func md5Tag(b []byte) string {
	sum := md5.Sum(b)
	return `"` + hex.EncodeToString(sum[:]) + `"`
}

func TestBackendRoundTrip(t *testing.T) {
	backends(t, func(t *testing.T, s blob.Store) {
		ctx := context.Background()
		body := []byte("\x89PNG not really")
		if err := s.Put(ctx, "media_attachments/1/original.png", bytes.NewReader(body), int64(len(body)), "image/png"); err != nil {
			t.Fatal(err)
		}
		info, err := s.Stat(ctx, "media_attachments/1/original.png")
		if err != nil || info.Size != int64(len(body)) || info.ETag != md5Tag(body) || info.ContentType != "image/png" {
			t.Errorf("Stat = %+v, %v; want size %d, ETag %s", info, err, len(body), md5Tag(body))
		}
		o, err := s.Open(ctx, "media_attachments/1/original.png")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.Seek(5, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		rest, _ := io.ReadAll(o)
		o.Close()
		if string(rest) != string(body[5:]) {
			t.Errorf("read after seek = %q", rest)
		}
		if _, err := s.Open(ctx, "media_attachments/2/original.png"); !errors.Is(err, blob.ErrNotExist) {
			t.Errorf("Open(absent) err = %v; want ErrNotExist", err)
		}
		if _, err := s.Stat(ctx, "nope.png"); !errors.Is(err, blob.ErrNotExist) {
			t.Errorf("Stat(absent) err = %v; want ErrNotExist", err)
		}
		s.Put(ctx, "emoji/a.png", strings.NewReader("a"), 1, "image/png")
		s.Put(ctx, "media_attachments/0/x.png", strings.NewReader("x"), 1, "image/png")
		var keys []string
		s.List(ctx, "media_attachments/", func(i blob.Info) error { keys = append(keys, i.Key); return nil })
		if strings.Join(keys, " ") != "media_attachments/0/x.png media_attachments/1/original.png" {
			t.Errorf("List = %v; want the two attachments in key order", keys)
		}
		if err := s.Delete(ctx, "emoji/a.png"); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, "emoji/a.png"); err != nil {
			t.Errorf("deleting an absent key: %v", err)
		}
		if err := s.Put(ctx, "../escape", strings.NewReader("x"), 1, ""); err == nil {
			t.Error("an escaping key was accepted")
		}
	})
}

func TestS3KeyPrefixAndMultipart(t *testing.T) {
	s := newS3(t, "tusk/")
	ctx := context.Background()
	big := bytes.Repeat([]byte("0123456789abcdef"), (6<<20)/16) // over the 5 MB test threshold
	if err := s.Put(ctx, "media_attachments/9/original.mp4", bytes.NewReader(big), int64(len(big)), "video/mp4"); err != nil {
		t.Fatal(err)
	}
	var keys []string
	s.List(ctx, "", func(i blob.Info) error { keys = append(keys, i.Key); return nil })
	if len(keys) != 1 || keys[0] != "media_attachments/9/original.mp4" {
		t.Errorf("List = %v; want the key without the bucket prefix", keys)
	}
	o, err := s.Open(ctx, keys[0])
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	got, _ := io.ReadAll(o)
	if !bytes.Equal(got, big) || o.Info().Size != int64(len(big)) {
		t.Errorf("read back %d bytes; want %d", len(got), len(big))
	}
}
