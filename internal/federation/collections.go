package federation

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// collectionPageSize is how many items one page of an outbox or a follow list holds.
const collectionPageSize = 20

// pageCursor reads a page request's max_id and min_id; a malformed one is a 400.
func pageCursor(r *http.Request) (store.Page, error) {
	p := store.Page{Limit: collectionPageSize}
	for name, dst := range map[string]*int64{"max_id": &p.MaxID, "min_id": &p.MinID} {
		v := r.URL.Query().Get(name)
		if v == "" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return p, httpx.BadRequest("%s must be a non-negative integer", name)
		}
		*dst = n
	}
	return p, nil
}

// pageID is the canonical address of the page p of the collection at base.
func pageID(base string, p store.Page) string {
	switch {
	case p.MaxID > 0:
		return fmt.Sprintf("%s?max_id=%d&page=true", base, p.MaxID)
	case p.MinID > 0:
		return fmt.Sprintf("%s?min_id=%d&page=true", base, p.MinID)
	}
	return base + "?page=true"
}

func isPageRequest(r *http.Request) bool { return r.URL.Query().Get("page") == "true" }

func total(n int64) *int64 { return &n }

// outboxDocument is the account's public and unlisted Creates and Announces, newest
// first, paged by status id as Mastodon pages it.
func (s *Service) outboxDocument(r *http.Request) (any, error) {
	a, err := s.activeAccount(r.Context(), r.PathValue("username"))
	if err != nil {
		return nil, err
	}
	base := s.URLs.Outbox(a.Username)
	if !isPageRequest(r) {
		return &Collection{Context: Context, ID: base, Type: "OrderedCollection", TotalItems: total(a.StatusesCount),
			First: base + "?page=true", Last: base + "?min_id=0&page=true"}, nil
	}
	p, err := pageCursor(r)
	if err != nil {
		return nil, err
	}
	list, err := s.Store.AccountStatuses(r.Context(), 0, a.ID, store.AccountStatusFilter{}, p)
	if err != nil {
		return nil, err
	}
	page := &Collection{Context: Context, ID: pageID(base, p), Type: "OrderedCollectionPage", PartOf: base, OrderedItems: []any{}}
	for _, st := range list {
		item, err := s.outboxItem(r, st)
		if err != nil {
			return nil, err
		}
		page.OrderedItems = append(page.OrderedItems, item)
	}
	if len(list) > 0 {
		page.Next = fmt.Sprintf("%s?max_id=%d&page=true", base, list[len(list)-1].ID)
		page.Prev = fmt.Sprintf("%s?min_id=%d&page=true", base, list[0].ID)
	}
	return page, nil
}

func (s *Service) outboxItem(r *http.Request, st *model.Status) (*Activity, error) {
	if st.ReblogOfID != nil {
		return s.renderAnnounce(r.Context(), s.Store.Q, st)
	}
	a, err := s.RenderCreate(r.Context(), s.Store.Q, st)
	if err != nil {
		return nil, err
	}
	a.Context = nil // embedded in the page, which carries the context
	return a, nil
}

func (s *Service) followersDocument(r *http.Request) (any, error) {
	return s.followDocument(r, true)
}

func (s *Service) followingDocument(r *http.Request) (any, error) {
	return s.followDocument(r, false)
}

// followDocument is the followers (inbound) or following collection: the total, and
// pages of actor ids, local and remote alike.
func (s *Service) followDocument(r *http.Request, inbound bool) (any, error) {
	a, err := s.activeAccount(r.Context(), r.PathValue("username"))
	if err != nil {
		return nil, err
	}
	base, count := s.URLs.Following(a.Username), a.FollowingCount
	if inbound {
		base, count = s.URLs.Followers(a.Username), a.FollowersCount
	}
	if !isPageRequest(r) {
		return &Collection{Context: Context, ID: base, Type: "OrderedCollection", TotalItems: total(count), First: base + "?page=true"}, nil
	}
	p, err := pageCursor(r)
	if err != nil {
		return nil, err
	}
	accounts, cursors, err := s.Store.FollowAccounts(r.Context(), store.Follows, a.ID, inbound, p)
	if err != nil {
		return nil, err
	}
	page := &Collection{Context: Context, ID: pageID(base, p), Type: "OrderedCollectionPage", PartOf: base,
		TotalItems: total(count), OrderedItems: []any{}}
	for _, acct := range accounts {
		page.OrderedItems = append(page.OrderedItems, s.accountURI(acct))
	}
	if len(cursors) == collectionPageSize {
		page.Next = fmt.Sprintf("%s?max_id=%d&page=true", base, cursors[len(cursors)-1])
	}
	return page, nil
}

// featuredDocument is the account's pinned public and unlisted statuses, embedded.
func (s *Service) featuredDocument(r *http.Request) (any, error) {
	a, err := s.activeAccount(r.Context(), r.PathValue("username"))
	if err != nil {
		return nil, err
	}
	pins, err := s.Store.AccountStatuses(r.Context(), 0, a.ID, store.AccountStatusFilter{Pinned: true}, store.Page{Limit: 40})
	if err != nil {
		return nil, err
	}
	coll := &Collection{Context: Context, ID: s.URLs.Featured(a.Username), Type: "OrderedCollection", OrderedItems: []any{}}
	for _, st := range pins {
		obj, err := s.renderStatus(r.Context(), s.Store.Q, st)
		if err != nil {
			return nil, err
		}
		coll.OrderedItems = append(coll.OrderedItems, obj)
	}
	coll.TotalItems = total(int64(len(coll.OrderedItems)))
	return coll, nil
}

// featuredTagsDocument is the account's featured hashtags.
func (s *Service) featuredTagsDocument(r *http.Request) (any, error) {
	a, err := s.activeAccount(r.Context(), r.PathValue("username"))
	if err != nil {
		return nil, err
	}
	tags, err := s.Store.FeaturedTags(r.Context(), a.ID)
	if err != nil {
		return nil, err
	}
	coll := &Collection{Context: Context, ID: s.URLs.FeaturedTags(a.Username), Type: "Collection", Items: []any{}}
	for _, ft := range tags {
		coll.Items = append(coll.Items, Tag{Type: "Hashtag", Href: s.URLs.Tag(ft.Tag.Name), Name: "#" + ft.Tag.Name})
	}
	coll.TotalItems = total(int64(len(coll.Items)))
	return coll, nil
}

// repliesDocument is a public status's replies: the collection with its first page (the
// author's own replies), or a later page (?page=true, with only_other_accounts=true for
// everyone else's replies, and min_id to go on).
func (s *Service) repliesDocument(r *http.Request) (any, error) {
	a, st, err := s.publicStatus(r)
	if err != nil {
		return nil, err
	}
	if st.ReblogOfID != nil {
		return nil, httpx.ErrNotFound
	}
	if !isPageRequest(r) {
		obj := &Object{}
		if err := s.fillReplies(r.Context(), s.Store.Q, st, obj); err != nil {
			return nil, err
		}
		obj.Replies.Context = Context
		return obj.Replies, nil
	}
	p, err := pageCursor(r)
	if err != nil {
		return nil, err
	}
	page, err := s.repliesPage(r.Context(), s.Store.Q, a, st, r.URL.Query().Get("only_other_accounts") == "true", p.MinID)
	if err != nil {
		return nil, err
	}
	page.Context = Context
	return page, nil
}
