package admin

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/emoji"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// runInstance runs one rules, domain-blocks or emoji command line and returns its output.
func runInstance(t *testing.T, d InstanceDeps, args ...string) (string, error) {
	t.Helper()
	out := &bytes.Buffer{}
	d.Out = out
	err := Instance(context.Background(), d, args[0], args[1:])
	return out.String(), err
}

func TestRulesCommands(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		d := InstanceDeps{Store: st}
		out, err := runInstance(t, d, "rules", "add", "Be kind", "--hint", "Really.")
		if err != nil || !strings.HasPrefix(out, "OK: rule ") {
			t.Fatalf("rules add = %q, %v", out, err)
		}
		ruleID := strings.TrimSpace(strings.TrimPrefix(out, "OK: rule "))
		if out, _ := runInstance(t, d, "rules", "list"); !strings.Contains(out, ruleID) || !strings.Contains(out, "Be kind") || !strings.Contains(out, "Really.") {
			t.Errorf("rules list = %q", out)
		}
		if _, err := runInstance(t, d, "rules", "add", strings.Repeat("x", 301)); err == nil {
			t.Error("a 301-character rule was accepted")
		}
		if _, err := runInstance(t, d, "rules", "add", "--hint", "h"); err == nil || !strings.Contains(err.Error(), "missing TEXT") {
			t.Errorf("rules add without text = %v; want missing TEXT", err)
		}
		if _, err := runInstance(t, d, "rules", "add", "a", "b"); err == nil || !strings.Contains(err.Error(), "unexpected") {
			t.Errorf("rules add a b = %v; want an unexpected argument", err)
		}
		if _, err := runInstance(t, d, "rules", "remove", ruleID); err != nil {
			t.Fatal(err)
		}
		if _, err := runInstance(t, d, "rules", "remove", ruleID); err == nil || !strings.Contains(err.Error(), "no rule") {
			t.Errorf("removing twice = %v", err)
		}
	})
}

func TestDomainBlockCommands(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		d := InstanceDeps{Store: st}
		if _, err := runInstance(t, d, "domain-blocks", "add", "Spam.Example", "--severity", "silence", "--public-comment", "spam", "--obfuscate"); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{
			{"add", "spam.example"}, {"add", "x.example", "--severity", "ban"}, {"add", "https://x.example/"},
			{"add", "x.example", "--private-comment", strings.Repeat("x", 1001)}, {"remove", "nowhere.example"},
		} {
			if _, err := runInstance(t, d, append([]string{"domain-blocks"}, args...)...); err == nil {
				t.Errorf("domain-blocks %v succeeded", args)
			}
		}
		blocks, err := st.ServerDomainBlocks(context.Background(), true)
		if err != nil || len(blocks) != 1 || blocks[0].Domain != "spam.example" || blocks[0].Severity != "silence" || !blocks[0].Obfuscate {
			t.Fatalf("blocks = %+v, %v", blocks, err)
		}
		if out, _ := runInstance(t, d, "domain-blocks", "list"); !strings.Contains(out, "spam.example") || !strings.Contains(out, "silence") {
			t.Errorf("list = %q", out)
		}
		if _, err := runInstance(t, d, "domain-blocks", "remove", "spam.example"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestEmojiCommands(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		dataDir, src := t.TempDir(), t.TempDir()
		d := InstanceDeps{Store: st, Emoji: &emoji.Importer{Store: st, Dir: emoji.Dir(dataDir)}}
		var img bytes.Buffer
		png.Encode(&img, image.NewGray(image.Rect(0, 0, 2, 2)))
		os.WriteFile(filepath.Join(src, "blob.png"), img.Bytes(), 0o644)
		os.WriteFile(filepath.Join(src, "notes.png"), []byte("text"), 0o644)
		out, err := runInstance(t, d, "emoji", "import", src, "--category", "blobs")
		if err != nil || !strings.Contains(out, "Imported 1, skipped 1") || !strings.Contains(out, "skipped notes.png") {
			t.Fatalf("import = %q, %v", out, err)
		}
		if out, _ := runInstance(t, d, "emoji", "list"); !strings.Contains(out, ":blob:") || !strings.Contains(out, "blobs") {
			t.Errorf("list = %q", out)
		}
		if files, _ := os.ReadDir(emoji.Dir(dataDir)); len(files) != 1 {
			t.Errorf("emoji folder has %d files; want 1", len(files))
		}
		if _, err := runInstance(t, d, "emoji", "remove", ":blob:"); err != nil {
			t.Fatal(err)
		}
		if files, _ := os.ReadDir(emoji.Dir(dataDir)); len(files) != 0 {
			t.Errorf("emoji folder keeps %d files after removal", len(files))
		}
		if _, err := runInstance(t, d, "emoji", "remove", "blob"); err == nil {
			t.Error("removing a missing emoji succeeded")
		}
	})
}
