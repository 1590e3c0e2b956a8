package backup

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestVerifyDetectsDamage(t *testing.T) {
	t.Parallel()
	archive := func(tamper func(w *writer)) []byte {
		var buf bytes.Buffer
		w, _ := newWriter(&buf)
		w.addBytes("media/a.png", []byte("picture"))
		w.addBytes(envName, []byte("LOCAL_DOMAIN=x\n"))
		if tamper != nil {
			tamper(w)
		}
		w.close(Manifest{Format: Format, Engine: "sqlite", Media: "local"})
		return buf.Bytes()
	}
	if _, err := Verify(bytes.NewReader(archive(nil))); err != nil {
		t.Fatalf("an intact archive: %v", err)
	}
	flipped := archive(nil)
	flipped[len(flipped)/2] ^= 0xff
	cases := map[string][]byte{
		"flipped byte":   flipped,
		"truncated":      archive(nil)[:len(archive(nil))/2],
		"wrong checksum": archive(func(w *writer) { w.files[0].SHA256 = strings.Repeat("0", 64) }),
		"missing file":   archive(func(w *writer) { w.files = append(w.files, File{Path: "media/b.png", Size: 1}) }),
		"unlisted file":  archive(func(w *writer) { w.files = w.files[1:] }),
	}
	for name, data := range cases {
		if _, err := Verify(bytes.NewReader(data)); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: Verify = %v; want ErrCorrupt", name, err)
		}
	}
}
