package mediacache

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/blob"
	"github.com/tuskhq/tusk/internal/outbound"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// origin is a loopback "remote server" serving PNGs of a chosen size, and HTML at /page.
type origin struct {
	*httptest.Server
	hits atomic.Int64
}

func newOrigin(t *testing.T) *origin {
	o := &origin{}
	o.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.hits.Add(1)
		switch {
		case r.URL.Path == "/page":
			w.Write([]byte("<html><body>not media</body></html>"))
		case r.URL.Path == "/big.png":
			w.Write(pngOf(t, 200))
		default:
			w.Write(pngOf(t, 10))
		}
	}))
	t.Cleanup(o.Close)
	return o
}

func pngOf(t *testing.T, side int) []byte {
	var b bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, side, side))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// clock is a settable time for last-access ordering.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newCache(t *testing.T, st *store.Store, c *clock) *Cache {
	client := outbound.New(outbound.Options{Guard: outbound.Guard{Allowed: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}})
	return &Cache{Store: st, Blobs: &blob.Local{Root: t.TempDir()}, Client: client, Enabled: true,
		MaxBytes: 1 << 30, MaxAge: 7 * 24 * time.Hour, MaxObjectBytes: 64 << 10, Now: c.now}
}

func TestFetchCachesOnce(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newOrigin(t)
		c := newCache(t, st, &clock{time.Now()})
		key, err := c.Fetch(ctx, Attachment, o.URL+"/a.png")
		if err != nil || !strings.HasPrefix(key, "cache/") || !strings.HasSuffix(key, ".png") {
			t.Fatalf("Fetch = %q, %v; want a cache/….png key", key, err)
		}
		again, err := c.Fetch(ctx, Attachment, o.URL+"/a.png")
		if err != nil || again != key || o.hits.Load() != 1 {
			t.Errorf("second Fetch = %q, %v after %d requests; want the same key, one request", again, err, o.hits.Load())
		}
		if info, err := c.Blobs.Stat(ctx, key); err != nil || info.ContentType != "image/png" {
			t.Errorf("stored = %+v, %v", info, err)
		}
	})
}

func TestFetchRefusals(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newOrigin(t)
		c := newCache(t, st, &clock{time.Now()})
		if _, err := c.Fetch(ctx, Attachment, o.URL+"/page"); !errors.Is(err, ErrUnsupported) {
			t.Errorf("HTML: err = %v; want ErrUnsupported", err)
		}
		c.MaxObjectBytes = 1000
		if _, err := c.Fetch(ctx, Attachment, o.URL+"/big.png"); !errors.Is(err, outbound.ErrTooLarge) {
			t.Errorf("oversize: err = %v; want ErrTooLarge", err)
		}
		guarded := &Cache{Store: st, Blobs: c.Blobs, Client: outbound.New(outbound.Options{}), Enabled: true, MaxBytes: c.MaxBytes}
		if _, err := guarded.Fetch(ctx, Avatar, o.URL+"/a.png"); !errors.Is(err, outbound.ErrForbiddenAddress) {
			t.Errorf("loopback without ALLOWED_PRIVATE_ADDRESSES: err = %v; want ErrForbiddenAddress", err)
		}
		var objs []blob.Info
		c.Blobs.List(ctx, "", func(i blob.Info) error { objs = append(objs, i); return nil })
		if len(objs) != 0 {
			t.Errorf("refused fetches stored %v", objs)
		}
		c.Enabled = false
		if _, err := c.Fetch(ctx, Attachment, o.URL+"/a.png"); !errors.Is(err, ErrDisabled) {
			t.Errorf("caching off: err = %v; want ErrDisabled", err)
		}
	})
}

func TestEvictionBySizeKeepsTheRecentlyRead(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newOrigin(t)
		clk := &clock{time.Now()}
		c := newCache(t, st, clk)
		one := int64(len(pngOf(t, 10)))
		c.MaxBytes = 3 * one
		keys := map[string]string{}
		for _, name := range []string{"a", "b", "c"} {
			k, err := c.Fetch(ctx, Attachment, o.URL+"/"+name+".png")
			if err != nil {
				t.Fatal(err)
			}
			keys[name] = k
			clk.advance(time.Hour)
		}
		if err := c.Ensure(ctx, keys["a"]); err != nil { // a is read again: b is now the oldest
			t.Fatal(err)
		}
		clk.advance(time.Hour)
		keys["d"], _ = c.Fetch(ctx, Attachment, o.URL+"/d.png")
		for name, want := range map[string]bool{"a": true, "b": false, "c": true, "d": true} {
			_, err := c.Blobs.Stat(ctx, keys[name])
			if (err == nil) != want {
				t.Errorf("%s held = %t; want %t", name, err == nil, want)
			}
		}
		if total, files, _ := st.CachedMediaTotal(ctx); total > c.MaxBytes || files != 3 {
			t.Errorf("cache holds %d bytes in %d files; cap %d", total, files, c.MaxBytes)
		}
		hits := o.hits.Load()
		if err := c.Ensure(ctx, keys["b"]); err != nil {
			t.Fatalf("Ensure(evicted) = %v; want a refetch", err)
		}
		if _, err := c.Blobs.Stat(ctx, keys["b"]); err != nil || o.hits.Load() != hits+1 {
			t.Errorf("evicted b was not fetched again: %v", err)
		}
		if err := c.Ensure(ctx, "cache/00/unknown.png"); !errors.Is(err, blob.ErrNotExist) {
			t.Errorf("Ensure(never cached) = %v; want ErrNotExist", err)
		}
	})
}

func TestEvictionByAge(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newOrigin(t)
		clk := &clock{time.Now()}
		c := newCache(t, st, clk)
		old, _ := c.Fetch(ctx, Attachment, o.URL+"/old.png")
		avatar, _ := c.Fetch(ctx, Avatar, o.URL+"/avatar.png")
		clk.advance(8 * 24 * time.Hour)
		fresh, _ := c.Fetch(ctx, Attachment, o.URL+"/fresh.png")
		files, _, err := c.EvictUnread(ctx, 7*24*time.Hour, []string{Attachment, Emoji})
		if err != nil || files != 1 {
			t.Fatalf("EvictUnread = %d, %v; want the old attachment only", files, err)
		}
		for key, want := range map[string]bool{old: false, avatar: true, fresh: true} {
			if _, err := c.Blobs.Stat(ctx, key); (err == nil) != want {
				t.Errorf("%s held = %t; want %t", key, err == nil, want)
			}
		}
		if err := c.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Blobs.Stat(ctx, avatar); err == nil {
			t.Error("the periodic sweep kept an avatar unread past the age limit")
		}
		if owns, _ := c.Owns(ctx, fresh); !owns {
			t.Error("Owns(held) = false")
		}
		if owns, _ := c.Owns(ctx, old); owns {
			t.Error("Owns(evicted) = true")
		}
	})
}
