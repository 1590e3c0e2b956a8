package text

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in       string
		mentions []Mention
		tags     []string
		urls     []string
	}{
		{in: "just words"},
		{in: "@alice hi", mentions: []Mention{{Username: "alice"}}},
		{in: "hi @bob@remote.org!", mentions: []Mention{{Username: "bob", Domain: "remote.org"}}},
		{in: "cc @bob@remote.org.", mentions: []Mention{{Username: "bob", Domain: "remote.org"}}},
		{in: "(@alice)", mentions: []Mention{{Username: "alice"}}},
		{in: "@first.last-name@example.com", mentions: []Mention{{Username: "first.last-name", Domain: "example.com"}}},
		{in: "@alice. @bob-", mentions: []Mention{{Username: "alice"}, {Username: "bob"}}},
		{in: "@alice @ALICE @Alice@x.org @alice@X.org", mentions: []Mention{{Username: "alice"}, {Username: "Alice", Domain: "x.org"}}},
		{in: "mail me at alice@example.com"},
		{in: "x=@alice and /@alice"},
		{in: "@ alone and @"},
		{in: "#Tag #tag #TAG #other", tags: []string{"tag", "other"}},
		{in: "#日本語 #café #Ελληνικά", tags: []string{"日本語", "café", "ελληνικά"}},
		{in: "#123 #2024 #_1", tags: nil},
		{in: "#100DaysOfCode #tag_with_under", tags: []string{"100daysofcode", "tag_with_under"}},
		{in: "#tag. #tag2, (#tag3)", tags: []string{"tag", "tag2", "tag3"}},
		{in: "C# and a#b and issue#12"},
		{in: "#catalan·word· end", tags: []string{"catalan·word"}},
		{in: "see https://example.com/#anchor", urls: []string{"https://example.com/#anchor"}},
		{in: "https://example.com/@alice and https://example.com/?u=@bob", urls: []string{"https://example.com/@alice", "https://example.com/?u=@bob"}},
		{in: "ftp://example.com mailto:a@b.com javascript:alert(1)"},
		{in: "HTTPS://EXAMPLE.COM/X and http://a.org/ and http://a.org/", urls: []string{"HTTPS://EXAMPLE.COM/X", "http://a.org/"}},
		{in: "nohttps://example.com https:// http://"},
		{in: "(https://example.com/a), https://example.com/b!", urls: []string{"https://example.com/a", "https://example.com/b"}},
		{
			in:       "@alice look #here: https://example.com/x?y=1 #there",
			mentions: []Mention{{Username: "alice"}},
			tags:     []string{"here", "there"},
			urls:     []string{"https://example.com/x?y=1"},
		},
	}
	for _, tt := range tests {
		mentions, tags, urls := Parse(tt.in)
		if diff := cmp.Diff(tt.mentions, mentions); diff != "" {
			t.Errorf("Parse(%q) mentions (-want +got):\n%s", tt.in, diff)
		}
		if diff := cmp.Diff(tt.tags, tags); diff != "" {
			t.Errorf("Parse(%q) tags (-want +got):\n%s", tt.in, diff)
		}
		if diff := cmp.Diff(tt.urls, urls); diff != "" {
			t.Errorf("Parse(%q) urls (-want +got):\n%s", tt.in, diff)
		}
	}
}
