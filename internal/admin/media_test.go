package admin

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/blob"
	"github.com/tuskhq/tusk/internal/blob/s3test"
	"github.com/tuskhq/tusk/internal/mediacache"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

func mediaDeps(t *testing.T, st *store.Store) (MediaDeps, *blob.Local, *bytes.Buffer, *bytes.Buffer) {
	o := s3test.Start(t)
	s3, err := blob.NewS3(o)
	if err != nil {
		t.Fatal(err)
	}
	local := &blob.Local{Root: t.TempDir()}
	sw := &blob.Switch{Backends: map[string]blob.Store{blob.BackendLocal: local, blob.BackendS3: s3},
		Default: blob.State{Backend: blob.BackendLocal},
		Load: func(ctx context.Context) (blob.State, bool, error) {
			s, err := st.MediaStorage(ctx)
			return blob.State{Backend: s.Backend, Fallback: s.Fallback}, err == nil, nil
		}}
	set := func(ctx context.Context, s blob.State) error {
		return st.Writer().SetMediaStorage(ctx, store.MediaStorageState{Backend: s.Backend, Fallback: s.Fallback})
	}
	cache := &mediacache.Cache{Store: st, Blobs: sw, Enabled: true, MaxBytes: 1 << 30, MaxAge: 7 * 24 * time.Hour}
	owners := map[string]blob.Owner{mediacache.Prefix: cache, "emoji/": blob.OwnerFunc(func(ctx context.Context, key string) (bool, error) {
		return st.EmojiFileInUse(ctx, strings.TrimPrefix(key, "emoji/"))
	})}
	out, errOut := &bytes.Buffer{}, &bytes.Buffer{}
	return MediaDeps{Storage: sw, SetState: set, Cache: cache, Owners: owners, Settle: 10 * time.Millisecond, Out: out, Err: errOut}, local, out, errOut
}

func putOld(t *testing.T, l *blob.Local, key, body string) {
	t.Helper()
	if err := l.Put(context.Background(), key, strings.NewReader(body), int64(len(body)), ""); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-48 * time.Hour)
	os.Chtimes(filepath.Join(l.Root, key), old, old)
}

func runMedia(t *testing.T, d MediaDeps, out *bytes.Buffer, args ...string) string {
	t.Helper()
	out.Reset()
	if err := Media(context.Background(), d, args); err != nil {
		t.Fatalf("media %v: %v", args, err)
	}
	return out.String()
}

func TestMediaCommands(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		d, local, out, errOut := mediaDeps(t, st)
		putOld(t, local, "media_attachments/1/original.png", "attachment")
		putOld(t, local, "accounts/1/avatar.png", "avatar")
		putOld(t, local, "emoji/kept-0123456789abcdef.png", "emoji")
		putOld(t, local, "emoji/orphan-0123456789abcdef.png", "lost emoji")
		putOld(t, local, "cache/aa/kept.png", "cached")
		putOld(t, local, "cache/aa/orphan.png", "lost cached")
		putOld(t, local, "cache/aa/stale.png", "stale cached")
		if err := st.Writer().UpsertLocalEmoji(ctx, &model.CustomEmoji{Shortcode: "kept", File: "kept-0123456789abcdef.png", ContentType: "image/png"}); err != nil {
			t.Fatal(err)
		}
		for key, read := range map[string]time.Time{"cache/aa/kept.png": time.Now(), "cache/aa/stale.png": time.Now().Add(-30 * 24 * time.Hour)} {
			st.Writer().PutCachedMedia(ctx, &store.CachedMedia{Key: key, RemoteURL: "https://remote.example/" + key, Kind: mediacache.Attachment,
				Size: 6, ContentType: "image/png", FetchedAt: read, LastAccess: read})
		}

		got := runMedia(t, d, out, "remove-orphans", "--dry-run")
		if !strings.Contains(got, "emoji/orphan-") || !strings.Contains(got, "cache/aa/orphan.png") || strings.Contains(got, "kept") ||
			!strings.Contains(got, "Would remove 2") || !strings.Contains(got, "media_attachments/") {
			t.Errorf("remove-orphans --dry-run =\n%s", got)
		}
		runMedia(t, d, out, "remove-orphans")
		if _, err := local.Stat(ctx, "emoji/orphan-0123456789abcdef.png"); err == nil {
			t.Error("the orphaned emoji is still there")
		}
		if got := runMedia(t, d, out, "remove", "--days", "7"); !strings.Contains(got, "Removed 1 cached files") {
			t.Errorf("remove = %q; want the stale cached file", got)
		}

		got = runMedia(t, d, out, "usage")
		for _, want := range []string{"Active backend: local", "attachments", "custom emoji", "remote media cache", "Remote media cache: 1 files"} {
			if !strings.Contains(got, want) {
				t.Errorf("usage lacks %q:\n%s", want, got)
			}
		}
		got = runMedia(t, d, out, "migrate", "--to", "s3", "--dry-run")
		if !strings.Contains(got, "Would move from local to s3") || !regexp.MustCompile(`total\s+4\s`).MatchString(got) {
			t.Errorf("dry run =\n%s", got)
		}
		if s, err := st.MediaStorage(ctx); err == nil {
			t.Errorf("the dry run changed the state to %+v", s)
		}
		got = runMedia(t, d, out, "migrate", "--to", "s3")
		if !strings.Contains(got, "moved from local to s3") || !strings.Contains(errOut.String(), "4/4 objects") || !strings.Contains(errOut.String(), "ETA") {
			t.Errorf("migrate = %q, progress %q", got, errOut.String())
		}
		if s, _ := st.MediaStorage(ctx); s.Backend != blob.BackendS3 || s.Fallback != "" {
			t.Errorf("state after the move = %+v", s)
		}
		objs, _ := blob.Inventory(ctx, d.Storage.Backends[blob.BackendS3], []string{""})
		if len(objs) != 4 {
			t.Errorf("S3 holds %d objects; want 4", len(objs))
		}
		if got := runMedia(t, d, out, "migrate", "--to", "s3"); !strings.Contains(got, "already lives on s3") {
			t.Errorf("second migrate = %q", got)
		}
		if err := Media(ctx, d, []string{"migrate", "--to", "ftp"}); err == nil {
			t.Error("migrate --to ftp was accepted")
		}
	})
}

func TestInterruptedMigrationResumes(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		d, local, out, errOut := mediaDeps(t, st)
		for i := range 5 {
			putOld(t, local, "media_attachments/"+string(rune('a'+i))+"/original.png", strings.Repeat("x", 100+i))
		}
		cctx, cancel := context.WithCancel(ctx)
		d.Settle = 0
		m := &blob.Move{Backends: d.Storage.Backends, SetState: d.SetState, Progress: func(p blob.Progress) {
			if p.Objects == 2 {
				cancel() // the admin pressed ^C after two objects
			}
		}}
		if err := m.Run(cctx, blob.BackendLocal, blob.BackendS3); err == nil {
			t.Fatal("the interrupted move reported success")
		}
		if s, _ := st.MediaStorage(ctx); s.Backend != blob.BackendS3 || s.Fallback != blob.BackendLocal {
			t.Fatalf("state after the interruption = %+v; want s3 reading through to local", s)
		}
		runMedia(t, d, out, "migrate", "--to", "s3")
		m2 := regexp.MustCompile(`5/5 objects \(([2-5]) already there\)`).FindStringSubmatch(errOut.String())
		if m2 == nil {
			t.Errorf("resumed progress = %q; want the objects copied before the interruption skipped", errOut.String())
		}
		if s, _ := st.MediaStorage(ctx); s.Backend != blob.BackendS3 || s.Fallback != "" {
			t.Errorf("state after resuming = %+v", s)
		}
	})
}
