package mastoapi

// discoveryRoutes registers this area's endpoints: hashtags followed and featured,
// trends, follow suggestions, the profile directory and announcements.
func (a *API) discoveryRoutes(h route) {
	h("POST /api/v1/tags/{name}/follow", a.followTag)
	h("POST /api/v1/tags/{name}/unfollow", a.unfollowTag)
	h("POST /api/v1/tags/{id}/feature", a.featureTagByPath)
	h("POST /api/v1/tags/{id}/unfeature", a.unfeatureTagByPath)
	h("GET /api/v1/followed_tags", a.followedTags)

	h("GET /api/v1/featured_tags", a.featuredTags)
	h("POST /api/v1/featured_tags", a.featureTag)
	h("DELETE /api/v1/featured_tags/{id}", a.unfeatureTag)
	h("GET /api/v1/featured_tags/suggestions", a.featuredTagSuggestions)
	h("GET /api/v1/accounts/{id}/featured_tags", a.accountFeaturedTags)

	h("GET /api/v1/trends/tags", a.trendingTags)
	h("GET /api/v1/trends/statuses", a.trendingStatuses)

	h("GET /api/v2/suggestions", a.suggestionsV2)
	h("GET /api/v1/suggestions", a.suggestionsV1)
	h("DELETE /api/v1/suggestions/{account_id}", a.dismissSuggestion)
	h("GET /api/v1/directory", a.directory)

	h("GET /api/v1/announcements", a.announcements)
	h("POST /api/v1/announcements/{id}/dismiss", a.dismissAnnouncement)
	h("PUT /api/v1/announcements/{id}/reactions/{name}", a.announcementReaction(true))
	h("DELETE /api/v1/announcements/{id}/reactions/{name}", a.announcementReaction(false))
}
