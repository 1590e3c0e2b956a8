package mastoapi

import (
	"net/http"
	"net/url"

	"github.com/tuskhq/tusk/internal/httpx"
)

// maxLinkURL bounds the url parameter of the link timeline.
const maxLinkURL = 2048

func (a *API) trendingLinks(w http.ResponseWriter, r *http.Request) error {
	if _, err := viewer(r, "read"); err != nil {
		return err
	}
	limit, offset, err := requestOffsetWindow(w, r, 10, 20)
	if err != nil {
		return err
	}
	links, err := a.Social.TrendingLinks(r.Context(), limit, offset)
	if err != nil {
		return err
	}
	a.offsetLinks(w, r, limit, offset, len(links))
	return httpx.OK(w, a.render.TrendsLinks(links))
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
