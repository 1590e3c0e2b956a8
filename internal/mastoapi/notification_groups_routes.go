package mastoapi

// notificationGroupRoutes registers grouped notifications, unread counts, the
// notification policy and requests, conversations, markers and preferences.
func (a *API) notificationGroupRoutes(h route) {
	h("GET /api/v1/notifications/unread_count", a.unreadCount(false))
	h("GET /api/v2/notifications/unread_count", a.unreadCount(true))
	h("GET /api/v2/notifications", a.groupedNotifications)
	h("GET /api/v2/notifications/{group_key}", a.notificationGroup)
	h("POST /api/v2/notifications/{group_key}/dismiss", a.dismissNotificationGroup)
	h("GET /api/v2/notifications/{group_key}/accounts", a.notificationGroupAccounts)

	h("GET /api/v2/notifications/policy", a.notificationPolicy)
	h("PATCH /api/v2/notifications/policy", a.updateNotificationPolicy)
	// The deprecated v1 form of the policy, which Mastodon still serves (not in the table).
	h("GET /api/v1/notifications/policy", a.notificationPolicyV1)
	h("PATCH /api/v1/notifications/policy", a.updateNotificationPolicyV1)
	h("PUT /api/v1/notifications/policy", a.updateNotificationPolicyV1)
	h("GET /api/v1/notifications/requests", a.notificationRequests)
	h("GET /api/v1/notifications/requests/merged", a.notificationRequestsMerged)
	h("GET /api/v1/notifications/requests/{id}", a.notificationRequest)
	h("POST /api/v1/notifications/requests/{id}/accept", a.answerRequest(a.Social.AcceptNotificationRequest))
	h("POST /api/v1/notifications/requests/{id}/dismiss", a.answerRequest(a.Social.DismissNotificationRequest))
	h("POST /api/v1/notifications/requests/accept", a.answerRequests(a.Social.AcceptNotificationRequests))
	h("POST /api/v1/notifications/requests/dismiss", a.answerRequests(a.Social.DismissNotificationRequests))

	h("GET /api/v1/conversations", a.conversations)
	h("DELETE /api/v1/conversations/{id}", a.deleteConversation)
	h("POST /api/v1/conversations/{id}/read", a.readConversation)
	h("GET /api/v1/timelines/direct", a.directTimeline)

	h("GET /api/v1/markers", a.markers)
	h("POST /api/v1/markers", a.saveMarkers)
	h("GET /api/v1/preferences", a.preferences)
}
