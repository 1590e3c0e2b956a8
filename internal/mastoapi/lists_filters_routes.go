package mastoapi

// listAndFilterRoutes registers lists, list timelines and filters (v2, and v1 as
// Mastodon still serves it).
func (a *API) listAndFilterRoutes(h route) {
	h("GET /api/v1/lists", a.getLists)
	h("POST /api/v1/lists", a.createList)
	h("GET /api/v1/lists/{id}", a.getList)
	h("PUT /api/v1/lists/{id}", a.updateList)
	h("DELETE /api/v1/lists/{id}", a.deleteList)
	h("GET /api/v1/lists/{id}/accounts", a.listAccounts)
	h("POST /api/v1/lists/{id}/accounts", a.addListAccounts)
	h("DELETE /api/v1/lists/{id}/accounts", a.removeListAccounts)
	h("GET /api/v1/accounts/{id}/lists", a.accountLists)
	h("GET /api/v1/timelines/list/{list_id}", a.listTimeline)

	h("GET /api/v2/filters", a.getFilters)
	h("POST /api/v2/filters", a.createFilter)
	h("GET /api/v2/filters/{id}", a.getFilter)
	h("PUT /api/v2/filters/{id}", a.updateFilter)
	h("DELETE /api/v2/filters/{id}", a.deleteFilter)
	// GET /api/v2/filters/{filter_id}/keywords and …/statuses share one pattern: see filterParts.
	h("GET /api/v2/filters/{filter_id}/{part}", a.filterParts)
	h("GET /api/v2/filters/keywords/{id}", a.getFilterKeyword)
	h("GET /api/v2/filters/statuses/{id}", a.getFilterStatus)
	h("POST /api/v2/filters/{filter_id}/keywords", a.addFilterKeyword)
	h("PUT /api/v2/filters/keywords/{id}", a.updateFilterKeyword)
	h("DELETE /api/v2/filters/keywords/{id}", a.deleteFilterKeyword)
	h("POST /api/v2/filters/{filter_id}/statuses", a.addFilterStatus)
	h("DELETE /api/v2/filters/statuses/{id}", a.deleteFilterStatus)

	h("GET /api/v1/filters", a.getV1Filters)
	h("POST /api/v1/filters", a.createV1Filter)
	h("GET /api/v1/filters/{id}", a.getV1Filter)
	h("PUT /api/v1/filters/{id}", a.updateV1Filter)
	h("DELETE /api/v1/filters/{id}", a.deleteV1Filter)
}
