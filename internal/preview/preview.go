// Package preview turns a linked web page into a preview card: it fetches the page
// through the guarded outbound client and reads what the page says about itself in
// OpenGraph and Twitter card tags, <title>, <meta name="description"> and <html lang>.
package preview

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"time"

	"golang.org/x/net/html/charset"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/outbound"
)

// MaxHTML is how much of a page is read: its <head> is near the start.
const MaxHTML = 1 << 20

// ErrNoCard means the page cannot make a card (not HTML, no title, an error status):
// fetching it again would not help.
var ErrNoCard = errors.New("preview: no card for this page")

// Fetch reads the page at pageURL and builds its card. Errors wrapping ErrNoCard or
// outbound's refusals are final; others (timeouts, resets) may pass on a retry.
func Fetch(ctx context.Context, client *outbound.Client, pageURL string) (*model.PreviewCard, error) {
	resp, err := client.GetPrefix(ctx, pageURL, http.Header{"Accept": {"text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"}}, MaxHTML)
	if err != nil {
		return nil, err
	}
	if resp.Status >= 500 {
		return nil, fmt.Errorf("preview: %s answered %d", pageURL, resp.Status)
	}
	if resp.Status != http.StatusOK {
		return nil, fmt.Errorf("%w: %s answered %d", ErrNoCard, pageURL, resp.Status)
	}
	contentType := resp.Header.Get("Content-Type")
	if mt, _, _ := mime.ParseMediaType(contentType); mt != "text/html" && mt != "application/xhtml+xml" {
		return nil, fmt.Errorf("%w: %s is %q", ErrNoCard, pageURL, contentType)
	}
	body, err := charset.NewReader(bytes.NewReader(resp.Body), contentType)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrNoCard, pageURL, err)
	}
	card := Parse(body, resp.URL)
	if card.Title == "" {
		return nil, fmt.Errorf("%w: %s has no title", ErrNoCard, pageURL)
	}
	card.URL = pageURL
	card.FetchedAt = time.Now().UTC()
	return card, nil
}

// Final reports whether err from Fetch will not change on a retry.
func Final(err error) bool {
	for _, e := range []error{ErrNoCard, outbound.ErrForbiddenAddress, outbound.ErrBadURL, outbound.ErrBadHeader,
		outbound.ErrTooManyRedirects} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// clip cuts s to at most n characters, on a character boundary.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
