package text

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// accounts known to testOptions, by lower-cased "user@domain" ("user@" for local).
var testAccounts = map[string]ResolvedMention{
	"alice@":          {Username: "alice", Acct: "alice", URL: "https://tusk.example/@alice"},
	"bob@remote.org":  {Username: "bob", Acct: "bob@remote.org", URL: "https://remote.org/@bob"},
	"alice@other.net": {Username: "alice", Acct: "alice@other.net", URL: "https://other.net/users/alice"},
}

var testOptions = Options{
	ResolveMention: func(m Mention) (ResolvedMention, bool) {
		acc, ok := testAccounts[strings.ToLower(m.Username+"@"+m.Domain)]
		return acc, ok
	},
	TagURL: func(tag string) string { return "https://tusk.example/tags/" + url.PathEscape(tag) },
}

// link is the expected HTML of a URL link.
func link(href, invisible, shown, class, hidden string) string {
	return fmt.Sprintf(`<a href="%s" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">%s</span><span class="%s">%s</span><span class="invisible">%s</span></a>`,
		href, invisible, class, shown, hidden)
}

// mention is the expected HTML of a linked mention.
func mention(href, name string) string {
	return fmt.Sprintf(`<span class="h-card" translate="no"><a href="%s" class="u-url mention">@<span>%s</span></a></span>`, href, name)
}

// hashtag is the expected HTML of a linked hashtag.
func hashtag(href, name string) string {
	return fmt.Sprintf(`<a href="%s" class="mention hashtag" rel="tag">#<span>%s</span></a>`, href, name)
}

func TestFormatText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{" \n\t\n ", ""},
		{"hello", "<p>hello</p>"},
		{"  hello  \n", "<p>hello</p>"},
		{"one\ntwo", "<p>one<br />two</p>"},
		{"one\n\ntwo", "<p>one</p><p>two</p>"},
		{"one\n\n\n\ntwo\nthree", "<p>one</p><p>two<br />three</p>"},
		{"one\r\ntwo\r\n\r\nthree\rfour", "<p>one<br />two</p><p>three<br />four</p>"},
		{`<b>"bold" & 'quoted'</b>`, "<p>&lt;b&gt;&quot;bold&quot; &amp; &#39;quoted&#39;&lt;/b&gt;</p>"},
		{"<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"},
		{"&amp; stays literal", "<p>&amp;amp; stays literal</p>"},
	}
	for _, tt := range tests {
		if got := Format(tt.in, testOptions); got != tt.want {
			t.Errorf("Format(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatURLs(t *testing.T) {
	long := "https://example.com/a/very/long/path/that/goes/on?x=1&y=2"
	tests := []struct{ in, want string }{
		{"https://example.com", "<p>" + link("https://example.com", "https://", "example.com", "", "") + "</p>"},
		{"http://example.com/a", "<p>" + link("http://example.com/a", "http://", "example.com/a", "", "") + "</p>"},
		{"https://www.example.com/", "<p>" + link("https://www.example.com/", "https://www.", "example.com/", "", "") + "</p>"},
		{"see https://example.com.", "<p>see " + link("https://example.com", "https://", "example.com", "", "") + ".</p>"},
		{"https://example.com/x?!,;:", "<p>" + link("https://example.com/x", "https://", "example.com/x", "", "") + "?!,;:</p>"},
		{"(https://example.com/x)", "<p>(" + link("https://example.com/x", "https://", "example.com/x", "", "") + ")</p>"},
		{
			"(https://en.wikipedia.org/wiki/Go_(lang))",
			"<p>(" + link("https://en.wikipedia.org/wiki/Go_(lang)", "https://", "en.wikipedia.org/wiki/Go_(lang", "ellipsis", ")") + ")</p>",
		},
		{
			"https://example.com/123456789012345678",
			"<p>" + link("https://example.com/123456789012345678", "https://", "example.com/123456789012345678", "", "") + "</p>",
		},
		{
			"https://example.com/1234567890123456789",
			"<p>" + link("https://example.com/1234567890123456789", "https://", "example.com/123456789012345678", "ellipsis", "9") + "</p>",
		},
		{
			long + " end",
			"<p>" + link("https://example.com/a/very/long/path/that/goes/on?x=1&amp;y=2", "https://",
				"example.com/a/very/long/path/t", "ellipsis", "hat/goes/on?x=1&amp;y=2") + " end</p>",
		},
		{
			"https://例え.jp/日本語のパスはとても長いのでここで切れるはずですよね本当に",
			"<p>" + link("https://例え.jp/日本語のパスはとても長いのでここで切れるはずですよね本当に", "https://",
				"例え.jp/日本語のパスはとても長いのでここで切れるはずです", "ellipsis", "よね本当に") + "</p>",
		},
		{`https://example.com/"><script>`, "<p>" + link("https://example.com/", "https://", "example.com/", "", "") + "&quot;&gt;&lt;script&gt;</p>"},
		{"ftp://example.com and javascript:alert(1)", "<p>ftp://example.com and javascript:alert(1)</p>"},
		{"xhttps://example.com $https://example.com", "<p>xhttps://example.com $https://example.com</p>"},
		{"<https://example.com/x>", "<p>&lt;" + link("https://example.com/x", "https://", "example.com/x", "", "") + "&gt;</p>"},
	}
	for _, tt := range tests {
		if got := Format(tt.in, testOptions); got != tt.want {
			t.Errorf("Format(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatMentions(t *testing.T) {
	alice := mention("https://tusk.example/@alice", "alice")
	bob := mention("https://remote.org/@bob", "bob")
	tests := []struct{ in, want string }{
		{"@alice hi", "<p>" + alice + " hi</p>"},
		{"hi @Alice!", "<p>hi " + alice + "!</p>"},
		{"@bob@remote.org, hello", "<p>" + bob + ", hello</p>"},
		{"@bob@Remote.Org.", "<p>" + bob + ".</p>"},
		{"@nobody and @nobody@nowhere.net", "<p>@nobody and @nobody@nowhere.net</p>"},
		{"@bob (no domain, unknown locally)", "<p>@bob (no domain, unknown locally)</p>"},
		{"write to alice@example.com", "<p>write to alice@example.com</p>"},
		{"alice@remote.org@bob", "<p>alice@remote.org@bob</p>"},
		{"(@alice)", "<p>(" + alice + ")</p>"},
		{"https://tusk.example/@alice", "<p>" + link("https://tusk.example/@alice", "https://", "tusk.example/@alice", "", "") + "</p>"},
		{
			"@alice and @alice@other.net",
			"<p>" + mention("https://tusk.example/@alice", "alice") + " and " + mention("https://other.net/users/alice", "alice@other.net") + "</p>",
		},
	}
	for _, tt := range tests {
		if got := Format(tt.in, testOptions); got != tt.want {
			t.Errorf("Format(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatHashtags(t *testing.T) {
	tests := []struct{ in, want string }{
		{"#Go rocks", "<p>" + hashtag("https://tusk.example/tags/go", "Go") + " rocks</p>"},
		{"love #日本語!", "<p>love " + hashtag("https://tusk.example/tags/%E6%97%A5%E6%9C%AC%E8%AA%9E", "日本語") + "!</p>"},
		{"#Café.", "<p>" + hashtag("https://tusk.example/tags/caf%C3%A9", "Café") + ".</p>"},
		{"#123 and #1", "<p>#123 and #1</p>"},
		{"#2024Review", "<p>" + hashtag("https://tusk.example/tags/2024review", "2024Review") + "</p>"},
		{"C# and foo#bar", "<p>C# and foo#bar</p>"},
		{"a\n#tag", "<p>a<br />" + hashtag("https://tusk.example/tags/tag", "tag") + "</p>"},
		{
			"https://example.com/#tag",
			"<p>" + link("https://example.com/#tag", "https://", "example.com/#tag", "", "") + "</p>",
		},
	}
	for _, tt := range tests {
		if got := Format(tt.in, testOptions); got != tt.want {
			t.Errorf("Format(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatWithoutCallbacks(t *testing.T) {
	in := "@alice #tag https://example.com"
	want := "<p>@alice #tag " + link("https://example.com", "https://", "example.com", "", "") + "</p>"
	if got := Format(in, Options{}); got != want {
		t.Errorf("Format(%q) = %q; want %q", in, got, want)
	}
}

func TestFormatResolvesEachMentionOnce(t *testing.T) {
	calls := map[Mention]int{}
	o := testOptions
	o.ResolveMention = func(m Mention) (ResolvedMention, bool) {
		calls[m]++
		return testOptions.ResolveMention(m)
	}
	in := "@alice @alice @ALICE @nobody @nobody"
	Format(in, o)
	for m, n := range calls {
		if n != 1 {
			t.Errorf("Format(%q) resolved %v %d times; want once", in, m, n)
		}
	}
	if len(calls) != 2 {
		t.Errorf("Format(%q) resolved %d mentions; want 2", in, len(calls))
	}
}
