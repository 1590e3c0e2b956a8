package mastoapi

// statusEditRoutes registers editing, pins, conversation mutes, polls, scheduled
// statuses, quotes and the rest of the status endpoints beyond posting and interacting.
func (a *API) statusEditRoutes(h route) {
	h("GET /api/v1/statuses", a.statusesByID)
	h("PUT /api/v1/statuses/{id}", a.editStatus)
	h("GET /api/v1/statuses/{id}/history", a.statusHistory)
	h("GET /api/v1/statuses/{id}/source", a.statusSource)
	h("POST /api/v1/statuses/{id}/pin", a.statusAction(a.Social.Pin, "write:accounts"))
	h("POST /api/v1/statuses/{id}/unpin", a.statusAction(a.Social.Unpin, "write:accounts"))
	h("POST /api/v1/statuses/{id}/mute", a.statusAction(a.Social.MuteConversation, "write:mutes"))
	h("POST /api/v1/statuses/{id}/unmute", a.statusAction(a.Social.UnmuteConversation, "write:mutes"))
	h("POST /api/v1/statuses/{id}/translate", a.translateStatus)
	h("GET /api/v1/statuses/{id}/quotes", a.statusQuotes)
	h("POST /api/v1/statuses/{id}/quotes/{quoting_status_id}/revoke", a.revokeQuote)
	h("PUT /api/v1/statuses/{id}/interaction_policy", a.setInteractionPolicy)

	h("GET /api/v1/polls/{id}", a.getPoll)
	h("POST /api/v1/polls/{id}/votes", a.votePoll)

	h("GET /api/v1/scheduled_statuses", a.scheduledStatuses)
	h("GET /api/v1/scheduled_statuses/{id}", a.getScheduledStatus)
	h("PUT /api/v1/scheduled_statuses/{id}", a.rescheduleStatus)
	h("DELETE /api/v1/scheduled_statuses/{id}", a.cancelScheduledStatus)
}
