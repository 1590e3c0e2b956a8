package ap

import (
	"os"
	"path/filepath"
	"testing"
)

// corpusDir holds real documents from other servers, shared by the project.
const corpusDir = "/work/shared/reference/activitypub"

// readCorpus returns a corpus file, skipping the test when the corpus is not
// on this machine.
func readCorpus(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, name))
	if os.IsNotExist(err) {
		t.Skipf("reference corpus not present at %s", corpusDir)
	}
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestCorpusDecodes decodes every actor, object and activity of the corpus;
// the documents that are rejected must be the ones listed, for the reason
// given.
func TestCorpusDecodes(t *testing.T) {
	rejected := map[string]bool{
		"actors/mastodon-application-instance-actor-template.json": true, // {{DOMAIN}} placeholders
		"actors/mastodon-spec-person-null-inbox.json":              true, // inbox is null
		// An approval object (interaction policies), which has attributedTo but no actor.
		"activities/gotosocial-docs-likeapproval.json": true,
	}
	decoders := map[string]func([]byte) error{
		"actors":     func(b []byte) error { _, err := DecodeActor(b); return err },
		"objects":    func(b []byte) error { _, err := DecodeObject(b); return err },
		"activities": func(b []byte) error { _, err := DecodeActivity(b); return err },
	}
	for dir, decode := range decoders {
		files, _ := filepath.Glob(filepath.Join(corpusDir, dir, "*.json"))
		if len(files) == 0 {
			t.Skipf("reference corpus not present at %s", corpusDir)
		}
		for _, f := range files {
			name := dir + "/" + filepath.Base(f)
			err := decode(readCorpus(t, name))
			switch {
			case rejected[name] && err == nil:
				t.Errorf("%s decoded; want an error", name)
			case !rejected[name] && err != nil:
				t.Errorf("%s: %v", name, err)
			}
		}
	}
}
