package text

import (
	"strings"
	"testing"
)

func TestSanitize(t *testing.T) {
	tests := []struct{ in, want string }{
		{``, ``},
		{`<p>Hello <b>world</b></p>`, `<p>Hello <b>world</b></p>`},
		{`<p>a<br>b<br/>c</p>`, `<p>a<br/>b<br/>c</p>`},
		{`"quotes" & 'apos' < >`, `&#34;quotes&#34; &amp; &#39;apos&#39; &lt; &gt;`},
		{`<!-- comment --><p>x</p>`, `<p>x</p>`},
		{
			`<h1>T</h1><pre><code>x &lt; y</code></pre><blockquote>q</blockquote><del>d</del><s>s</s><u>u</u><i>i</i><em>e</em><strong>st</strong>`,
			`<h1>T</h1><pre><code>x &lt; y</code></pre><blockquote>q</blockquote><del>d</del><s>s</s><u>u</u><i>i</i><em>e</em><strong>st</strong>`,
		},
		// Script-like content goes entirely, other unknown elements leave their text.
		{`<script>alert(1)</script>ok`, `ok`},
		{`<style>p{color:red}</style>ok`, `ok`},
		{`<iframe src="https://evil.example">inside</iframe>after`, `after`},
		{`<object data="x"><embed src="y"></object><form><input name="a"></form>t`, `t`},
		{`<svg><script>alert(1)</script></svg>`, ``},
		{`<div><table><tr><td>cell</td></tr></table></div>`, `cell`},
		{`<img src=x onerror="alert(1)">`, ``},
		// Nested tricks leave only inert text.
		{`<scr<script>ipt>alert(1)</script>`, `ipt&gt;alert(1)`},
		{`<<script>script>alert(1)<</script>/script>`, `&lt;/script&gt;`},
		// Attributes.
		{`<p onclick="alert(1)" style="color:red" class="x">x</p>`, `<p>x</p>`},
		{`<span class="h-card evil invisible">x</span><span class="evil">y</span>`, `<span class="h-card invisible">x</span><span>y</span>`},
		{`<ol start="3" reversed><li value="7">a</li></ol><ul><li>b</li></ul>`, `<ol start="3" reversed=""><li value="7">a</li></ol><ul><li>b</li></ul>`},
		{`<ol start="x"><li value="y">a</li></ol>`, `<ol><li>a</li></ol>`},
		// Links.
		{`<a href="https://example.com" target="_self" rel="opener">x</a>`, `<a href="https://example.com" rel="nofollow noopener" target="_blank">x</a>`},
		{`<a href="https://ex.com/?a=1&b=2">q</a>`, `<a href="https://ex.com/?a=1&amp;b=2" rel="nofollow noopener" target="_blank">q</a>`},
		{
			`<a href="gemini://example.com/">g</a> <a href="xmpp:a@b.c">x</a>`,
			`<a href="gemini://example.com/" rel="nofollow noopener" target="_blank">g</a> <a href="xmpp:a@b.c" rel="nofollow noopener" target="_blank">x</a>`,
		},
		{
			`<a href="https://example.com/" onmouseover="alert(1)" class="mention hashtag" rel="tag">#<span>tag</span></a>`,
			`<a class="mention hashtag" href="https://example.com/" rel="nofollow noopener" target="_blank">#<span>tag</span></a>`,
		},
		{`<a href="javascript:alert(1)">x</a>`, `x`},
		{`<a href="JaVaScRiPt:alert(1)">x</a>`, `x`},
		{`<a href="java&#x09;script:alert(1)">x</a>`, `x`},
		{`<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>`, `x`},
		{`<a href="vbscript:msgbox(1)">x</a>`, `x`},
		{`<a href="/relative">x</a>`, `x`},
		// Unbalanced markup is closed or dropped.
		{`<b>unclosed <i>tags`, `<b>unclosed <i>tags</i></b>`},
		{`stray</b></i>`, `stray`},
	}
	for _, tt := range tests {
		if got := Sanitize(tt.in); got != tt.want {
			t.Errorf("Sanitize(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// TestSanitizeHostile checks properties rather than exact output, so that it
// covers inputs whose harmless rendering may reasonably vary.
func TestSanitizeHostile(t *testing.T) {
	inputs := []string{
		`<script src="https://evil.example/x.js"></script>`,
		`<SCRIPT>alert(1)</SCRIPT>`,
		`<scr<script>ipt>alert(1)</scr</script>ipt>`,
		`<img src="x" onerror=alert(1)//`,
		`<a href="javascript&colon;alert(1)">x</a>`,
		`<a href=" javascript:alert(1)">x</a>`,
		`<a href="&#106;avascript:alert(1)">x</a>`,
		`<a href="data:text/html,<script>alert(1)</script>">x</a>`,
		`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
		`<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
		`<iframe srcdoc="<script>alert(1)</script>">`,
		`<p style="background:url(javascript:alert(1))">x</p>`,
		`<body onload=alert(1)>`,
		`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
		`<base href="https://evil.example/">`,
		`<link rel="stylesheet" href="https://evil.example/x.css">`,
		`<form action="https://evil.example"><button>go</button></form>`,
		`<span class="invisible" onmouseover="alert(1)">x</span>`,
		`<a href="https://ok.example" style="position:fixed">x</a>`,
	}
	forbidden := []string{"<script", "<img", "<iframe", "<style", "<form", "<meta", "<base", "<link", "<body",
		"onerror=", "onload=", "onmouseover=", "style=", "javascript:", "data:"}
	for _, in := range inputs {
		got := Sanitize(in)
		for _, bad := range forbidden {
			if strings.Contains(strings.ToLower(got), bad) {
				t.Errorf("Sanitize(%q) = %q; contains %q", in, got, bad)
			}
		}
	}
}
