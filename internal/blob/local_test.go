package blob

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestLocalRoundTrip(t *testing.T) {
	ctx := context.Background()
	l := &Local{Root: t.TempDir()}
	if err := l.Put(ctx, "media/1/original.png", strings.NewReader("png!"), 4, "image/png"); err != nil {
		t.Fatal(err)
	}
	o, err := l.Open(ctx, "media/1/original.png")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(o)
	o.Close()
	if string(body) != "png!" || o.Info().Size != 4 || o.Info().ContentType != "image/png" || o.Info().ETag == "" {
		t.Errorf("read %q, info %+v", body, o.Info())
	}
	var keys []string
	if err := l.List(ctx, "media/", func(i Info) error { keys = append(keys, i.Key); return nil }); err != nil || len(keys) != 1 {
		t.Errorf("list = %v, %v", keys, err)
	}
	if err := l.Delete(ctx, "media/1/original.png"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Stat(ctx, "media/1/original.png"); !errors.Is(err, ErrNotExist) {
		t.Errorf("stat after delete: %v", err)
	}
}

func TestLocalRefusesEscapingKeys(t *testing.T) {
	l := &Local{Root: t.TempDir()}
	for _, key := range []string{"../x", "/etc/passwd", "a/../../b", "a//b", "a\\b", ""} {
		if err := l.Put(context.Background(), key, strings.NewReader("x"), 1, ""); err == nil {
			t.Errorf("Put(%q) accepted", key)
		}
	}
}

func TestLocalShortWriteLeavesNothing(t *testing.T) {
	ctx := context.Background()
	l := &Local{Root: t.TempDir()}
	if err := l.Put(ctx, "k.png", strings.NewReader("ab"), 5, ""); err == nil {
		t.Fatal("short body accepted")
	}
	if _, err := l.Stat(ctx, "k.png"); !errors.Is(err, ErrNotExist) {
		t.Errorf("half object stored: %v", err)
	}
}
