package mastoapi

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tuskhq/tusk/internal/httpx"
)

// maxLinkURL bounds the url parameter of the link timeline.
const maxLinkURL = 2048

// trendingLinks is public, as Mastodon's trends are: no token or scope is needed.
func (a *API) trendingLinks(w http.ResponseWriter, r *http.Request) error {
	p, page, err := listParams(w, r, 10, 20)
	if err != nil {
		return err
	}
	offset, err := p.Int("offset", 0, 0, 1_000_000)
	if err != nil {
		return err
	}
	links, err := a.Social.TrendingLinks(r.Context(), offset, page.Limit)
	if err != nil {
		return err
	}
	a.offsetLinks(w, r, offset, page.Limit, len(links))
	return httpx.OK(w, a.render.TrendsLinks(links))
}

// offsetLinks sets the Link header of a list paged by offset: next while the page was
// full, prev unless it was the first.
func (a *API) offsetLinks(w http.ResponseWriter, r *http.Request, offset, limit, got int) {
	link := func(off int, rel string) string {
		q := r.URL.Query()
		q.Set("offset", strconv.Itoa(off))
		return fmt.Sprintf(`<%s%s?%s>; rel="%s"`, a.Config.BaseURL(), r.URL.Path, q.Encode(), rel)
	}
	var links []string
	if got == limit {
		links = append(links, link(offset+limit, "next"))
	}
	if offset > 0 {
		links = append(links, link(max(offset-limit, 0), "prev"))
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
}

func (a *API) linkTimeline(w http.ResponseWriter, r *http.Request) error {
	v, err := viewer(r, "read:statuses")
	if err != nil {
		return err
	}
	p, page, err := listParams(w, r, 20, 40)
	if err != nil {
		return err
	}
	link := p.String("url")
	if len(link) > maxLinkURL {
		return httpx.Unprocessable("Validation failed: url is too long (maximum is %d characters)", maxLinkURL)
	}
	if u, err := url.Parse(link); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return httpx.ErrNotFound // no card can have it
	}
	list, err := a.Social.LinkTimeline(r.Context(), v, link, page)
	if err != nil {
		return err
	}
	a.statusLinks(w, r, list)
	return httpx.OK(w, a.render.Statuses(list, v != nil))
}
