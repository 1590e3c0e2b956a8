package server_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/blob"
	"github.com/tuskhq/tusk/internal/blob/s3test"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/mediacache"
	"github.com/tuskhq/tusk/internal/server"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

// withS3 configures a real S3 server beside the local folder; local stays the default.
func withS3(o blob.S3Options) func(*config.Config) {
	return func(c *config.Config) {
		c.Storage.S3 = config.S3Config{Bucket: o.Bucket, Endpoint: o.Endpoint, Region: o.Region, AccessKey: o.AccessKey,
			SecretKey: o.SecretKey, PathStyle: true, Protocol: "https", MultipartThreshold: o.MultipartThreshold}
	}
}

// engines runs fn on an instance per database engine, each with its own S3 server.
func engines(t *testing.T, fn func(t *testing.T, in *servertest.Instance)) {
	t.Parallel()
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			o := s3test.Start(t)
			in := servertest.Start(t, engine, withS3(o))
			in.MediaStorage.Interval = 20 * time.Millisecond
			fn(t, in)
		})
	}
}

type object struct {
	key, contentType string
	body             []byte
}

// populate stores objects of every category, some over the multipart threshold.
func populate(t *testing.T, in *servertest.Instance) []object {
	t.Helper()
	var objs []object
	for i := range 12 {
		objs = append(objs,
			object{fmt.Sprintf("media_attachments/%d/original.png", i), "image/png", bytes.Repeat([]byte{byte(i)}, 1000+i)},
			object{fmt.Sprintf("accounts/%d/avatar.webp", i), "image/webp", bytes.Repeat([]byte{byte(i + 1)}, 500+i)},
			object{fmt.Sprintf("cache/remote%d.jpeg", i), "image/jpeg", bytes.Repeat([]byte{byte(i + 2)}, 700+i)},
			object{fmt.Sprintf("emoji/e%d-0123456789abcdef.png", i), "image/png", bytes.Repeat([]byte{byte(i + 3)}, 90+i)})
	}
	objs = append(objs, object{"media_attachments/99/original.mp4", "video/mp4", bytes.Repeat([]byte("video!"), (6<<20)/6)})
	for _, o := range objs {
		put(t, in.Media.Store, o)
	}
	return objs
}

func put(t *testing.T, s blob.Store, o object) {
	t.Helper()
	if err := s.Put(context.Background(), o.key, bytes.NewReader(o.body), int64(len(o.body)), o.contentType); err != nil {
		t.Fatal(err)
	}
}

// fetcher keeps fetching every object's URL until stopped, counting failures.
type fetcher struct {
	in      *servertest.Instance
	mu      sync.Mutex
	objs    []object
	fetches atomic.Int64
	failed  []string
	stop    chan struct{}
	done    chan struct{}
}

func startFetching(in *servertest.Instance, objs []object) *fetcher {
	f := &fetcher{in: in, objs: objs, stop: make(chan struct{}), done: make(chan struct{})}
	go f.run()
	return f
}

func (f *fetcher) add(o object) { f.mu.Lock(); f.objs = append(f.objs, o); f.mu.Unlock() }

func (f *fetcher) run() {
	defer close(f.done)
	for {
		f.mu.Lock()
		objs := append([]object(nil), f.objs...)
		f.mu.Unlock()
		for _, o := range objs {
			select {
			case <-f.stop:
				return
			default:
			}
			if err := fetchOnce(f.in.Media.URL(o.key), o); err != nil {
				f.mu.Lock()
				f.failed = append(f.failed, err.Error())
				f.mu.Unlock()
			}
			f.fetches.Add(1)
		}
	}
}

func fetchOnce(url string, o object) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 || !bytes.Equal(body, o.body) || resp.Header.Get("Content-Type") != o.contentType {
		return fmt.Errorf("GET %s = %d %s, %d bytes, %v", url, resp.StatusCode, resp.Header.Get("Content-Type"), len(body), err)
	}
	return nil
}

func (f *fetcher) finish(t *testing.T) {
	t.Helper()
	close(f.stop)
	<-f.done
	if len(f.failed) > 0 {
		t.Errorf("%d of %d fetches failed during the moves, e.g. %s", len(f.failed), f.fetches.Load(), f.failed[0])
	}
	if f.fetches.Load() < int64(2*len(f.objs)) {
		t.Errorf("only %d fetches ran; the test proves nothing", f.fetches.Load())
	}
}

func move(t *testing.T, in *servertest.Instance, from, to string, during func()) {
	t.Helper()
	m := &blob.Move{Backends: in.MediaStorage.Backends, SetState: server.SetMediaState(in.Store), Settle: 100 * time.Millisecond,
		Progress: func(p blob.Progress) {
			if p.Objects == 3 && during != nil {
				during()
				during = nil
			}
		}}
	if err := m.Run(context.Background(), from, to); err != nil {
		t.Fatalf("move %s → %s: %v", from, to, err)
	}
	time.Sleep(100 * time.Millisecond) // every reader has seen the end of the move
	if st := in.MediaStorage.State(); st.Backend != to || st.Fallback != "" {
		t.Fatalf("after the move the state is %+v; want %s alone", st, to)
	}
}

// emptyBackend deletes every object of a backend, so reads can only succeed from the other.
func emptyBackend(t *testing.T, s blob.Store) {
	t.Helper()
	ctx := context.Background()
	objs, err := blob.Inventory(ctx, s, []string{""})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objs {
		if err := s.Delete(ctx, o.Key); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLiveMediaMigrationBreaksNoURL(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		objs := populate(t, in)
		f := startFetching(in, objs)
		written := object{"media_attachments/100/original.png", "image/png", []byte("uploaded during the first move")}
		move(t, in, blob.BackendLocal, blob.BackendS3, func() { put(t, in.Media.Store, written); f.add(written) })
		emptyBackend(t, in.MediaStorage.Backends[blob.BackendLocal])
		time.Sleep(50 * time.Millisecond)
		move(t, in, blob.BackendS3, blob.BackendLocal, nil)
		emptyBackend(t, in.MediaStorage.Backends[blob.BackendS3])
		time.Sleep(50 * time.Millisecond)
		f.finish(t)
		if _, err := os.Stat(server.LocalMediaDir(in.Config) + "/" + written.key); err != nil {
			t.Errorf("the object written during the move is not back on the local backend: %v", err)
		}
	})
}

func TestMediaResponses(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		png := object{"media_attachments/1/original.png", "image/png", []byte("\x89PNG fake image bytes")}
		mp4 := object{"media_attachments/1/original.mp4", "video/mp4", []byte("....ftypisom video")}
		put(t, in.Media.Store, png)
		put(t, in.Media.Store, mp4)
		if u := in.Media.URL(png.key); u != in.URL+"/system/"+png.key {
			t.Errorf("URL = %s; want the instance's /system path", u)
		}
		r := in.Do(t, "", "GET", "/system/"+png.key, nil)
		h := r.Header
		if r.Status != 200 || string(r.Body) != string(png.body) || h.Get("Content-Type") != "image/png" ||
			!strings.Contains(h.Get("Cache-Control"), "immutable") || h.Get("ETag") == "" || h.Get("Last-Modified") == "" ||
			h.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(h.Get("Content-Security-Policy"), "default-src 'none'") ||
			h.Get("Content-Disposition") != "" {
			t.Errorf("GET image = %d %q %v", r.Status, r.Body, h)
		}
		if r := in.Do(t, "", "GET", "/system/"+mp4.key, nil); r.Header.Get("Content-Disposition") != "attachment" || r.Header.Get("Content-Type") != "video/mp4" {
			t.Errorf("GET video headers = %v; want attachment disposition", r.Header)
		}
		req, _ := http.NewRequest("GET", in.URL+"/system/"+png.key, nil)
		req.Header.Set("If-None-Match", h.Get("ETag"))
		if r := in.Send(t, req); r.Status != 304 || len(r.Body) != 0 {
			t.Errorf("If-None-Match = %d; want 304", r.Status)
		}
		req, _ = http.NewRequest("GET", in.URL+"/system/"+png.key, nil)
		req.Header.Set("Range", "bytes=1-3")
		if r := in.Send(t, req); r.Status != 206 || string(r.Body) != "PNG" {
			t.Errorf("Range = %d %q; want 206 PNG", r.Status, r.Body)
		}
		for _, p := range []string{"/system/media_attachments/2/original.png", "/system/..%2Ftusk.db", "/system/a/../../tusk.db"} {
			if r := in.Do(t, "", "GET", p, nil); r.Status != 404 {
				t.Errorf("GET %s = %d; want 404", p, r.Status)
			}
		}
		// Served from S3 alike, once it is the active backend.
		put(t, in.MediaStorage.Backends[blob.BackendS3], object{"cache/x.gif", "image/gif", []byte("GIF89a")})
		server.SetMediaState(in.Store)(context.Background(), blob.State{Backend: blob.BackendS3})
		in.MediaStorage.Refresh(context.Background())
		req, _ = http.NewRequest("GET", in.URL+"/system/cache/x.gif", nil)
		req.Header.Set("Range", "bytes=3-")
		if r := in.Send(t, req); r.Status != 206 || string(r.Body) != "89a" || r.Header.Get("Content-Type") != "image/gif" {
			t.Errorf("S3 Range = %d %q %v", r.Status, r.Body, r.Header)
		}
	})
}

func TestMediaHostServesMedia(t *testing.T) {
	t.Parallel()
	in := servertest.Start(t, store.SQLite, func(c *config.Config) { c.Storage.MediaHost = "media.test.example" })
	o := object{"accounts/1/avatar.png", "image/png", []byte("avatar")}
	put(t, in.Media.Store, o)
	if u := in.Media.URL(o.key); u != "http://media.test.example/"+o.key {
		t.Errorf("URL = %s; want the media host", u)
	}
	req, _ := http.NewRequest("GET", in.URL+"/"+o.key, nil)
	req.Host = "media.test.example"
	if r := in.Send(t, req); r.Status != 200 || string(r.Body) != "avatar" {
		t.Errorf("GET on the media host = %d %q", r.Status, r.Body)
	}
	if r := in.Do(t, "", "GET", "/"+o.key, nil); r.Status == 200 {
		t.Error("the instance's own host serves media at the root")
	}
}

func TestEvictedRemoteMediaIsFetchedAgainOnRequest(t *testing.T) {
	t.Parallel()
	image := []byte("GIF89a\x01\x00\x01\x00 a remote image")
	var hits atomic.Int64
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1); w.Write(image) }))
	defer origin.Close()
	in := servertest.Start(t, store.SQLite, func(c *config.Config) {
		c.Network.AllowedPrivate = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	})
	ctx := context.Background()
	key, err := in.MediaCache.Fetch(ctx, mediacache.Avatar, origin.URL+"/avatar.gif")
	if err != nil {
		t.Fatal(err)
	}
	if files, _, err := in.MediaCache.EvictUnread(ctx, -time.Hour, mediacache.AllKinds); err != nil || files != 1 {
		t.Fatalf("EvictUnread = %d, %v", files, err)
	}
	r := in.Do(t, "", "GET", "/system/"+key, nil)
	if r.Status != 200 || !bytes.Equal(r.Body, image) || r.Header.Get("Content-Type") != "image/gif" || hits.Load() != 2 {
		t.Errorf("GET evicted = %d %q after %d origin requests; want 200, the image, fetched again", r.Status, r.Body, hits.Load())
	}
}

// TestUploadsAndOrphansByOwner: raw uploads are never served, and orphan removal keeps
// exactly the objects a row refers to, looked up by the id in the key.
func TestUploadsAndOrphansByOwner(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		ctx := context.Background()
		alice := in.NewMember(t, "alice")
		put(t, in.Media.Store, object{"uploads/7-abc", "video/mp4", []byte("raw upload")})
		if r := in.Do(t, "", "GET", "/system/uploads/7-abc", nil); r.Status != 404 {
			t.Errorf("GET a raw upload = %d; want 404", r.Status)
		}
		kept := fmt.Sprintf("accounts/%d/avatar/k.png", alice.Account.ID)
		if _, err := in.Store.DB().ExecContext(ctx, `UPDATE accounts SET avatar_file_key = $1 WHERE id = $2`, kept, alice.Account.ID); err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{kept, fmt.Sprintf("accounts/%d/header/stale.png", alice.Account.ID), "media_attachments/42/original-x.png", "media_attachments/nonumber.png"} {
			put(t, in.Media.Store, object{key, "image/png", []byte("png")})
		}
		var orphans []string
		unchecked, err := blob.Orphans(ctx, in.Media.Store, in.MediaOwners(), 0, func(i blob.Info) error {
			orphans = append(orphans, i.Key)
			return nil
		})
		if err != nil || len(unchecked) > 0 {
			t.Fatalf("orphans: %v (unchecked %v)", err, unchecked)
		}
		want := map[string]bool{fmt.Sprintf("accounts/%d/header/stale.png", alice.Account.ID): true,
			"media_attachments/42/original-x.png": true, "media_attachments/nonumber.png": true, "uploads/7-abc": true}
		got := map[string]bool{}
		for _, k := range orphans {
			got[k] = true
		}
		for k := range want {
			if !got[k] {
				t.Errorf("%s not found orphaned (orphans %v)", k, orphans)
			}
		}
		if got[kept] {
			t.Errorf("the avatar in use was called an orphan")
		}
	})
}
