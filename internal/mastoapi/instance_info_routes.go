package mastoapi

// instanceInfoRoutes registers instance information, custom emoji, reports and oEmbed.
func (a *API) instanceInfoRoutes(h route) {
	h("GET /api/v1/instance/peers", a.instancePeers)
	h("GET /api/v1/instance/activity", a.instanceActivity)
	h("GET /api/v1/instance/rules", a.instanceRules)
	h("GET /api/v1/instance/domain_blocks", a.instanceDomainBlocks)
	h("GET /api/v1/instance/extended_description", a.extendedDescription)
	h("GET /api/v1/instance/privacy_policy", a.privacyPolicy)
	h("GET /api/v1/instance/terms_of_service", a.termsOfService)
	h("GET /api/v1/instance/terms_of_service/{date}", a.termsOfService)
	h("GET /api/v1/instance/translation_languages", a.translationLanguages)
	h("GET /api/v1/custom_emojis", a.customEmojis)
	h("POST /api/v1/reports", a.fileReport)
	h("GET /api/oembed", a.oembed)
}
