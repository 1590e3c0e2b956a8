package model

import "time"

// FilterContext names a place where statuses are shown, as a filter's context does.
type FilterContext string

// The contexts Mastodon's filters apply to.
const (
	FilterHome          FilterContext = "home"
	FilterNotifications FilterContext = "notifications"
	FilterPublic        FilterContext = "public"
	FilterThread        FilterContext = "thread"
	FilterAccount       FilterContext = "account"
)

// Valid reports whether c is one of the five contexts.
func (c FilterContext) Valid() bool {
	switch c {
	case FilterHome, FilterNotifications, FilterPublic, FilterThread, FilterAccount:
		return true
	}
	return false
}

// FilterAction is what a matching filter does to a status.
type FilterAction string

// The actions: show behind a warning, drop, or blur the media.
const (
	FilterWarn FilterAction = "warn"
	FilterHide FilterAction = "hide"
	FilterBlur FilterAction = "blur"
)

// Valid reports whether a is one of the three actions.
func (a FilterAction) Valid() bool { return a == FilterWarn || a == FilterHide || a == FilterBlur }

// Filter is a member's filter group: keywords and statuses that, in its contexts and
// until it expires, mark (or, with FilterHide, drop) matching statuses.
type Filter struct {
	ID        int64
	AccountID int64
	Title     string
	Context   []FilterContext
	Action    FilterAction
	ExpiresAt *time.Time
	CreatedAt time.Time
	Keywords  []*FilterKeyword
	Statuses  []*FilterStatus
}

// AppliesIn reports whether the filter covers context c.
func (f *Filter) AppliesIn(c FilterContext) bool {
	for _, fc := range f.Context {
		if fc == c {
			return true
		}
	}
	return false
}

// Expired reports whether the filter stopped applying by now.
func (f *Filter) Expired(now time.Time) bool { return f.ExpiresAt != nil && !f.ExpiresAt.After(now) }

// FilterKeyword is a word or phrase of a filter.
type FilterKeyword struct {
	ID        int64
	FilterID  int64
	Keyword   string
	WholeWord bool
	CreatedAt time.Time
}

// FilterStatus is one status a filter matches by id.
type FilterStatus struct {
	ID        int64
	FilterID  int64
	StatusID  int64
	CreatedAt time.Time
}

// FilterMatch is one filter that matched a status, with what matched.
type FilterMatch struct {
	Filter         *Filter
	KeywordMatches []string
	StatusMatches  []int64
}
