package mastoapi

import (
	"net/http"

	"github.com/tuskhq/tusk/internal/httpx"
)

// oembedWidth is the embed's default width; maxwidth narrows it.
const oembedWidth = 400

// oembed describes a local status for embedding on other sites.
func (a *API) oembed(w http.ResponseWriter, r *http.Request) error {
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	width, err := p.Int("maxwidth", oembedWidth, 1, 10000)
	if err != nil {
		return err
	}
	v, err := a.Social.EmbeddableStatus(r.Context(), p.Get("url"))
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.OEmbed(v, min(width, oembedWidth)))
}
