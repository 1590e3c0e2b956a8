package mastoapi

// statusEditRoutes registers this area's endpoints (filled in as the area lands).
func (a *API) statusEditRoutes(h route) {}
