package emoji

import (
	"strings"
	"testing"
)

func TestShortcodes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"hello :blobcat:", "blobcat"},
		{":a: :ab: :a_b: :ab:", "ab,a_b"},
		{"<p>:wave:</p><p>:wave: :party_parrot:</p>", "wave,party_parrot"},
		{"glued:wave: and :wave:glued and ::wave::", ""},
		{"_:under_score:_ and (:paren:)", "under_score,paren"},
		{"https://example.org/a:bc:d", ""},
		{"unclosed :wave and :: empty", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(Shortcodes(tt.in), ","); got != tt.want {
			t.Errorf("Shortcodes(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestValidShortcode(t *testing.T) {
	for code, want := range map[string]bool{"ab": true, "Blob_Cat9": true, "a": false, "bad-name": false,
		"émoji": false, strings.Repeat("a", 100): true, strings.Repeat("a", 101): false} {
		if got := ValidShortcode(code); got != want {
			t.Errorf("ValidShortcode(%q) = %v; want %v", code, got, want)
		}
	}
}
