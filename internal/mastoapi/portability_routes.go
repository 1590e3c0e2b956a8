package mastoapi

// portabilityRoutes registers this area's endpoints (filled in as the area lands).
func (a *API) portabilityRoutes(h route) {}
