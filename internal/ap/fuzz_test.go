package ap

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to every decoder: none may panic, and
// whatever they accept must satisfy the package's promises about ids.
// Run with: go test -fuzz FuzzDecode ./internal/ap
func FuzzDecode(f *testing.F) {
	for _, dir := range []string{"actors", "objects", "activities"} {
		files, _ := filepath.Glob(filepath.Join(corpusDir, dir, "*.json"))
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(`{"id":"https://a.example/1","type":"Note","content":"<p>x</p>","tag":{"type":"Emoji"}}`))
	f.Add([]byte(`{"type":"Create","actor":{"id":"https://a.example/u"},"object":[{"id":"https://a.example/1"},"https://a.example/2"]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if a, err := DecodeActor(data); err == nil && (!ValidIRI(a.ID) || !ValidIRI(a.Inbox)) {
			t.Errorf("actor accepted with id %q, inbox %q", a.ID, a.Inbox)
		}
		if o, err := DecodeObject(data); err == nil && !ValidIRI(o.ID) {
			t.Errorf("object accepted with id %q", o.ID)
		}
		if a, err := DecodeActivity(data); err == nil && !ValidIRI(a.Actor) {
			t.Errorf("activity accepted with actor %q", a.Actor)
		}
		Peek(data) //nolint:errcheck // only checking it does not panic
	})
}
