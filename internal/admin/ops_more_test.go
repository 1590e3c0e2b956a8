package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/blob"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/emoji"
	"github.com/tuskhq/tusk/internal/mediacache"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

func TestRotateKeys(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		c := newCLI(t, st, config.RegistrationsOpen)
		c.mustRun("create alice --email alice@example.org --confirmed")
		c.mustRun("create bob --email bob@example.org --confirmed")
		alice, _ := st.AccountByHandle(ctx, "alice", "")
		const keyID = "https://example.test/users/alice#main-key"
		if err := st.Writer().SetLocalKeys(ctx, alice.ID, keyID, "old public", "old private"); err != nil {
			t.Fatal(err)
		}
		if out := c.mustRun("rotate-keys alice"); !strings.Contains(out, "rotated 1 key") {
			t.Errorf("rotate-keys alice = %q", out)
		}
		actor, err := st.ActorByAccountID(ctx, alice.ID)
		if err != nil || actor.PublicKeyID != keyID || !strings.HasPrefix(actor.PublicKeyPEM, "-----BEGIN PUBLIC KEY-----") ||
			!strings.HasPrefix(actor.PrivateKeyPEM, "-----BEGIN RSA PRIVATE KEY-----") {
			t.Fatalf("actor after rotation = %+v, %v", actor, err)
		}
		first := actor.PublicKeyPEM
		if out := c.mustRun("rotate-keys --all"); !strings.Contains(out, "rotated 1 key(s); 1 account(s) have no key yet") {
			t.Errorf("rotate-keys --all = %q; want alice rotated and bob without a key", out)
		}
		if actor, _ := st.ActorByAccountID(ctx, alice.ID); actor.PublicKeyPEM == first {
			t.Error("--all did not rotate alice's key again")
		}
		for _, line := range []string{"rotate-keys", "rotate-keys alice --all", "rotate-keys nobody"} {
			if _, err := c.run(line); err == nil {
				t.Errorf("%s succeeded", line)
			}
		}
	})
}

func TestEmojiExportAndPurge(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		dataDir, src := t.TempDir(), t.TempDir()
		d := InstanceDeps{Store: st, Emoji: &emoji.Importer{Store: st, Dir: emoji.Dir(dataDir)}}
		var img bytes.Buffer
		png.Encode(&img, image.NewGray(image.Rect(0, 0, 2, 2)))
		os.WriteFile(filepath.Join(src, "blob.png"), img.Bytes(), 0o644)
		if _, err := runInstance(t, d, "emoji", "import", src); err != nil {
			t.Fatal(err)
		}
		archive := filepath.Join(t.TempDir(), "emoji.tar.gz")
		if out, err := runInstance(t, d, "emoji", "export", archive); err != nil || !strings.Contains(out, "Exported 1") {
			t.Fatalf("export = %q, %v", out, err)
		}
		if _, err := runInstance(t, d, "emoji", "export", archive); err == nil {
			t.Error("export overwrote an existing file")
		}
		remote := &model.CustomEmoji{Shortcode: "far", Domain: "remote.example", File: "", ContentType: "image/png"}
		if _, err := st.DB().ExecContext(ctx, `INSERT INTO custom_emojis (id, shortcode, domain, file, content_type, category,
			visible_in_picker, disabled, created_at, updated_at) VALUES (1, $1, $2, '', $3, '', TRUE, FALSE, $4, $4)`,
			remote.Shortcode, remote.Domain, remote.ContentType, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		if out, err := runInstance(t, d, "emoji", "purge", "--remote-only"); err != nil || !strings.Contains(out, "Deleted 0 local and 1 remote") {
			t.Errorf("purge --remote-only = %q, %v", out, err)
		}
		out, err := runInstance(t, d, "emoji", "purge", "--json")
		var res map[string]int64
		if err != nil || json.Unmarshal([]byte(out), &res) != nil || res["local"] != 1 {
			t.Fatalf("purge = %q, %v", out, err)
		}
		if list, _ := st.LocalEmojis(ctx); len(list) != 0 {
			t.Errorf("%d emoji left after purge", len(list))
		}
		// The archive brings them back.
		if out, err := runInstance(t, d, "emoji", "import", archive); err != nil || !strings.Contains(out, "Imported 1") {
			t.Errorf("import of the export = %q, %v", out, err)
		}
		if e, err := st.LocalEmoji(ctx, "blob"); err != nil || e.Shortcode != "blob" {
			t.Errorf("re-imported emoji = %+v, %v", e, err)
		}
	})
}

func TestCacheClear(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		files := &blob.Local{Root: t.TempDir()}
		d := opsDeps(st)
		d.Cache = &mediacache.Cache{Store: st, Blobs: files, Enabled: true, MaxBytes: 1 << 30, MaxAge: 7 * 24 * time.Hour}
		for _, key := range []string{"cache/aa/one.png", "cache/bb/two.png"} {
			if err := files.Put(ctx, key, strings.NewReader("image"), 5, "image/png"); err != nil {
				t.Fatal(err)
			}
			now := time.Now().UTC()
			st.Writer().PutCachedMedia(ctx, &store.CachedMedia{Key: key, RemoteURL: "https://remote.example/" + key,
				Kind: mediacache.Attachment, Size: 5, ContentType: "image/png", FetchedAt: now, LastAccess: now})
		}
		var res map[string]int64
		if err := json.Unmarshal([]byte(mustOps(t, d, "cache clear --json")), &res); err != nil || res["files"] != 2 || res["bytes"] != 10 {
			t.Fatalf("cache clear = %v, %v; want 2 files, 10 bytes", res, err)
		}
		if _, err := files.Stat(ctx, "cache/aa/one.png"); err == nil {
			t.Error("a cached file is still there")
		}
		if out := mustOps(t, d, "cache clear"); !strings.Contains(out, "Removed 0 cached files") {
			t.Errorf("second clear = %q", out)
		}
	})
}
