package mastoapi

// mediaRoutes registers the media endpoints.
func (a *API) mediaRoutes(h route) {}
