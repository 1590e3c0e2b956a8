package mastoapi_test

import (
	"bufio"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

var (
	coverageRow  = regexp.MustCompile("^\\| (GET|POST|PUT|PATCH|DELETE) \\| `([^`]+)` \\| (yes|no) \\|")
	pathVariable = regexp.MustCompile(`\{[^}]+\}`)
)

// TestEndpointTableIsTrue checks docs/endpoints.md against the routes tusk registers.
func TestEndpointTableIsTrue(t *testing.T) {
	in := servertest.Start(t, store.SQLite, nil)
	f, err := os.Open("../../docs/endpoints.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows := 0
	for sc := bufio.NewScanner(f); sc.Scan(); {
		m := coverageRow.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		rows++
		req, _ := http.NewRequest(m[1], "http://x"+pathVariable.ReplaceAllString(m[2], "1"), nil)
		pattern := in.Route(req)
		served := normalize(pattern[strings.Index(pattern, "/"):]) == normalize(m[2]) || sharedPatterns[m[1]+" "+m[2]] == pattern
		if served != (m[3] == "yes") {
			t.Errorf("%s %s: table says %s, but served = %v (pattern %q)", m[1], m[2], m[3], served, in.Route(req))
		}
	}
	if rows != 210 {
		t.Errorf("table has %d operations; the reference has 210", rows)
	}
}

// sharedPatterns are operations served by a broader pattern because Go's router cannot
// hold their own beside another operation's (see filterParts in filter_parts.go).
var sharedPatterns = map[string]string{
	"GET /api/v2/filters/{filter_id}/keywords": "GET /api/v2/filters/{filter_id}/{part}",
	"GET /api/v2/filters/{filter_id}/statuses": "GET /api/v2/filters/{filter_id}/{part}",
}

// normalize makes /a/{id} and /a/{account_id} compare equal.
func normalize(path string) string { return pathVariable.ReplaceAllString(path, "{}") }
