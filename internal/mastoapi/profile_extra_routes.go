package mastoapi

import "github.com/tuskhq/tusk/internal/store"

// profileExtraRoutes registers this area's endpoints.
func (a *API) profileExtraRoutes(h route) {
	h("GET /api/v1/profile", a.getProfile)
	h("PATCH /api/v1/profile", a.updateProfile)
	h("DELETE /api/v1/profile/avatar", a.clearProfileImage(store.Avatar))
	h("DELETE /api/v1/profile/header", a.clearProfileImage(store.Header))

	h("POST /api/v1/push/subscription", a.createPushSubscription)
	h("GET /api/v1/push/subscription", a.getPushSubscription)
	h("PUT /api/v1/push/subscription", a.updatePushSubscription)
	h("DELETE /api/v1/push/subscription", a.deletePushSubscription)

	h("GET /api/v1/annual_reports", a.annualReports)
	h("GET /api/v1/annual_reports/{year}", a.annualReport)
	h("GET /api/v1/annual_reports/{year}/state", a.annualReportState)
	h("POST /api/v1/annual_reports/{year}/generate", a.generateAnnualReport)
	h("POST /api/v1/annual_reports/{year}/read", a.readAnnualReport)

	h("POST /api/v1/collections", a.createCollection)
	h("GET /api/v1/collections/{id}", a.getCollection)
	h("PATCH /api/v1/collections/{id}", a.updateCollection)
	h("DELETE /api/v1/collections/{id}", a.deleteCollection)
	h("POST /api/v1/collections/{collection_id}/items", a.addCollectionItem)
	h("DELETE /api/v1/collections/{collection_id}/items/{id}", a.collectionItemAction(a.Social.RemoveCollectionItem))
	h("POST /api/v1/collections/{collection_id}/items/{id}/revoke", a.collectionItemAction(a.Social.RevokeCollectionItem))
	h("GET /api/v1/accounts/{account_id}/collections", a.collectionList(a.Social.AccountCollections))
	h("GET /api/v1/accounts/{account_id}/in_collections", a.collectionList(a.Social.CollectionsFeaturing))
}
