package mastoapi

// listAndFilterRoutes registers this area's endpoints (filled in as the area lands).
func (a *API) listAndFilterRoutes(h route) {}
