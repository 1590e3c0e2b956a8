package mastoapi

// relationshipRoutes registers this area's endpoints (filled in as the area lands).
func (a *API) relationshipRoutes(h route) {}
