package mastoapi

// portabilityRoutes registers this area's endpoints: trending links and the link
// timeline (the links area).
func (a *API) portabilityRoutes(h route) {
	h("GET /api/v1/trends/links", a.trendingLinks)
	h("GET /api/v1/timelines/link", a.linkTimeline)
}
