package mastoapi

// profileExtraRoutes registers this area's endpoints (filled in as the area lands).
func (a *API) profileExtraRoutes(h route) {}
