package mastoapi

// notificationGroupRoutes registers this area's endpoints (filled in as the area lands).
func (a *API) notificationGroupRoutes(h route) {}
