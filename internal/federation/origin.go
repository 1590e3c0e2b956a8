package federation

import (
	"net/url"
	"strings"
)

// hostOf is the lower-cased host, with its port, of an absolute http(s) URL; "" for
// anything else. It names a remote account's domain and the domain a block applies to,
// where the port matters (several servers may share a host name in tests and behind
// proxies); whether two documents come from the same server is ap.SameOrigin's answer.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Host)
}
