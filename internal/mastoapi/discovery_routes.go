package mastoapi

// discoveryRoutes registers this area's endpoints (filled in as the area lands).
func (a *API) discoveryRoutes(h route) {}
