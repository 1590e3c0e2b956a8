package emoji

import (
	"os"
	"path/filepath"
	"testing"
)

func TestMoveLegacyDir(t *testing.T) {
	data := t.TempDir()
	if err := MoveLegacyDir(data); err != nil {
		t.Fatalf("no legacy folder: %v", err)
	}
	os.MkdirAll(filepath.Join(data, "emoji"), 0o750)
	os.WriteFile(filepath.Join(data, "emoji", "cat-0123456789abcdef.png"), []byte("png"), 0o644)
	if err := MoveLegacyDir(data); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(Dir(data), "cat-0123456789abcdef.png")); err != nil || string(b) != "png" {
		t.Errorf("moved image = %q, %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(data, "emoji")); !os.IsNotExist(err) {
		t.Errorf("the old folder remains: %v", err)
	}
}
