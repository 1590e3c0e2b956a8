package mastoapi

// mediaRoutes registers the media endpoints.
func (a *API) mediaRoutes(h route) {
	h("POST /api/v2/media", a.uploadMedia(true))
	h("POST /api/v1/media", a.uploadMedia(false))
	h("GET /api/v1/media/{id}", a.getMedia)
	h("PUT /api/v1/media/{id}", a.updateMedia)
	h("DELETE /api/v1/media/{id}", a.deleteMedia)
}
