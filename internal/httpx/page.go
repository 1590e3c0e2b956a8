package httpx

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// Page is a parsed Mastodon pagination window (max_id, since_id, min_id, limit).
type Page struct {
	MaxID, SinceID, MinID int64
	Limit                 int
}

// ParsePage reads pagination parameters; limit defaults to def and is capped at max,
// as Mastodon caps rather than rejects a large limit.
func ParsePage(p Params, def, maxLimit int) (Page, error) {
	var pg Page
	var err error
	for key, dst := range map[string]*int64{"max_id": &pg.MaxID, "since_id": &pg.SinceID, "min_id": &pg.MinID} {
		if v := p.Get(key); v != "" {
			if *dst, err = strconv.ParseInt(v, 10, 64); err != nil {
				return pg, Unprocessable("Validation failed: %s must be an id", key)
			}
		}
	}
	pg.Limit = def
	if v := p.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return pg, Unprocessable("Validation failed: limit must be a whole number")
		}
		pg.Limit = min(max(n, 1), maxLimit)
	}
	return pg, nil
}

// SetLinks writes Mastodon's Link header for a page whose cursors run from newest to
// oldest: next pages older (max_id = oldest), prev pages newer (min_id = newest).
// baseURL is the instance's public origin; other query parameters are kept.
func SetLinks(w http.ResponseWriter, r *http.Request, baseURL string, newest, oldest int64) {
	if newest == 0 && oldest == 0 {
		return
	}
	link := func(key string, v int64) string {
		q := url.Values{}
		for k, vals := range r.URL.Query() {
			if k != "max_id" && k != "min_id" && k != "since_id" {
				q[k] = vals
			}
		}
		q.Set(key, strconv.FormatInt(v, 10))
		return baseURL + r.URL.Path + "?" + q.Encode()
	}
	w.Header().Set("Link", fmt.Sprintf(`<%s>; rel="next", <%s>; rel="prev"`, link("max_id", oldest), link("min_id", newest)))
}
