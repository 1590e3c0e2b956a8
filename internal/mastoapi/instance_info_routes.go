package mastoapi

// instanceInfoRoutes registers this area's endpoints (filled in as the area lands).
func (a *API) instanceInfoRoutes(h route) {}
