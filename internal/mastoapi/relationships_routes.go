package mastoapi

// relationshipRoutes registers blocks, mutes, notes, endorsements, domain blocks and the
// multi-account reads.
func (a *API) relationshipRoutes(h route) {
	h("GET /api/v1/accounts", a.accountsByIDs)
	h("GET /api/v1/accounts/familiar_followers", a.familiarFollowers)
	h("POST /api/v1/accounts/{id}/block", a.relationAction(a.Social.Block, "write:blocks"))
	h("POST /api/v1/accounts/{id}/unblock", a.relationAction(a.Social.Unblock, "write:blocks"))
	h("POST /api/v1/accounts/{id}/mute", a.mute)
	h("POST /api/v1/accounts/{id}/unmute", a.relationAction(a.Social.Unmute, "write:mutes"))
	h("POST /api/v1/accounts/{id}/note", a.accountNote)
	h("POST /api/v1/accounts/{id}/remove_from_followers", a.relationAction(a.Social.RemoveFromFollowers, "write:follows"))
	h("POST /api/v1/accounts/{id}/endorse", a.relationAction(a.Social.Endorse, "write:accounts"))
	h("POST /api/v1/accounts/{id}/unendorse", a.relationAction(a.Social.Unendorse, "write:accounts"))
	h("POST /api/v1/accounts/{id}/pin", a.relationAction(a.Social.Endorse, "write:accounts"))
	h("POST /api/v1/accounts/{id}/unpin", a.relationAction(a.Social.Unendorse, "write:accounts"))
	h("GET /api/v1/accounts/{id}/endorsements", a.accountEndorsements)
	h("GET /api/v1/endorsements", a.endorsements)
	h("GET /api/v1/blocks", a.blocks)
	h("GET /api/v1/mutes", a.mutes)
	h("GET /api/v1/domain_blocks", a.domainBlocks)
	h("POST /api/v1/domain_blocks", a.domainBlockChange(a.Social.BlockDomain))
	h("DELETE /api/v1/domain_blocks", a.domainBlockChange(a.Social.UnblockDomain))
}
