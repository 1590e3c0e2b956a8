package text

import (
	"strings"
	"testing"
)

func TestLength(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"hello", 5},
		{"  hello \n", 5},
		{"héllo wörld", 11},
		{"日本語", 3},
		{"https://example.com", 23},
		{"https://example.com/" + strings.Repeat("a", 100), 23},
		{"see https://x.co.", 4 + 23 + 1},
		{"http://a.org https://b.org", 23 + 1 + 23},
		{"ftp://example.com", 17},
		{"@alice", 6},
		{"@bob@remote.org", 4},
		{"@bob@a-very-long-domain-name.example.com hi", 4 + 3},
		{"alice@example.com", 17},
		{"#tag", 4},
		{"line\nbreak", 10},
		{"crlf\r\nbreak", 10},
		{"e\u0301", 1},         // e + combining acute
		{"👍🏽", 1},              // thumbs up + skin tone
		{"👨\u200d👩\u200d👧", 1}, // family joined with ZWJ
		{"🇯🇵🇫🇷", 2},            // two flags
		{"🇯🇵🇫", 2},             // a flag and a lone regional indicator
		{"❤️", 1},              // heart + variation selector
		{"a\u0000b", 3},
	}
	for _, tt := range tests {
		if got := Length(tt.in); got != tt.want {
			t.Errorf("Length(%q) = %d; want %d", tt.in, got, tt.want)
		}
	}
}
