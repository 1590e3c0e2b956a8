package text

import "testing"

func TestPlainText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"<p>one</p><p>two</p>", "one\n\ntwo"},
		{"<p>one<br>two<br/>three<br />four</p>", "one\ntwo\nthree\nfour"},
		{"<p>a</p>\n<p>b</p>\n", "a\n\nb"},
		{"<p>a<br><br>b</p>", "a\n\nb"},
		{"<br><p>a</p><br>", "a"},
		{"<p>Tom &amp; Jerry &lt;3 &quot;hi&quot; &#39;x&#39; caf&eacute;</p>", `Tom & Jerry <3 "hi" 'x' café`},
		{"<b>bold</b> and <i>it</i>", "bold and it"},
		{"<ul>\n<li>a</li>\n<li>b</li>\n</ul><p>after</p>", "a\nb\n\nafter"},
		{"<p>x</p><script>alert(1)</script><style>p{}</style><p>y</p>", "x\n\ny"},
		{`<p><span class="h-card"><a href="https://remote.org/@bob" class="u-url mention">@<span>bob</span></a></span> hi</p>`, "@bob hi"},
		{
			`<a href="https://example.com/a/very/long/path/that/goes/on"><span class="invisible">https://</span><span class="ellipsis">example.com/a/very/long/path/t</span><span class="invisible">hat/goes/on</span></a>`,
			"https://example.com/a/very/long/path/that/goes/on",
		},
	}
	for _, tt := range tests {
		if got := PlainText(tt.in); got != tt.want {
			t.Errorf("PlainText(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// TestPlainTextRoundTrip checks that PlainText undoes Format, except that
// linked remote mentions lose their domain, as Mastodon displays them.
func TestPlainTextRoundTrip(t *testing.T) {
	tests := []struct{ in, want string }{
		{in: "hello"},
		{in: "one\ntwo\n\nthree"},
		{in: `<b>"quoted" & 'apos'</b>`},
		{in: "@alice and @bob@remote.org and @nobody@nowhere.net", want: "@alice and @bob and @nobody@nowhere.net"},
		{in: "#Café #日本語 #123"},
		{in: "(https://en.wikipedia.org/wiki/Go_(lang)), https://example.com/a/very/long/path/that/goes/on?x=1&y=2."},
		{in: "https://www.example.com/"},
	}
	for _, tt := range tests {
		want := tt.want
		if want == "" {
			want = tt.in
		}
		html := Format(tt.in, testOptions)
		if got := PlainText(html); got != want {
			t.Errorf("PlainText(%q) = %q; want %q", html, got, want)
		}
	}
}
