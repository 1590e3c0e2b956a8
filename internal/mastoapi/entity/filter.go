package entity

import (
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

// Filter is Mastodon's Filter entity (v2). Keywords and statuses are left out where it
// is part of a FilterResult.
type Filter struct {
	ID           string           `json:"id"`
	Title        string           `json:"title"`
	Context      []string         `json:"context"`
	ExpiresAt    *string          `json:"expires_at"`
	FilterAction string           `json:"filter_action"`
	Keywords     *[]FilterKeyword `json:"keywords,omitempty"`
	Statuses     *[]FilterStatus  `json:"statuses,omitempty"`
}

// FilterKeyword is Mastodon's FilterKeyword entity.
type FilterKeyword struct {
	ID        string `json:"id"`
	Keyword   string `json:"keyword"`
	WholeWord bool   `json:"whole_word"`
}

// FilterStatus is Mastodon's FilterStatus entity.
type FilterStatus struct {
	ID       string `json:"id"`
	StatusID string `json:"status_id"`
}

// FilterResult is Mastodon's FilterResult entity: a filter that matched a status.
type FilterResult struct {
	Filter         Filter   `json:"filter"`
	KeywordMatches []string `json:"keyword_matches"`
	StatusMatches  []string `json:"status_matches"`
}

// V1Filter is Mastodon's V1::Filter entity: one keyword with its filter's settings.
type V1Filter struct {
	ID           string   `json:"id"`
	Phrase       string   `json:"phrase"`
	Context      []string `json:"context"`
	WholeWord    bool     `json:"whole_word"`
	ExpiresAt    *string  `json:"expires_at"`
	Irreversible bool     `json:"irreversible"`
}

// Filter renders a filter with its keywords and statuses.
func (r Renderer) Filter(f *model.Filter) Filter {
	out := r.filterSummary(f)
	keywords, statuses := r.FilterKeywords(f.Keywords), r.FilterStatuses(f.Statuses)
	out.Keywords, out.Statuses = &keywords, &statuses
	return out
}

// Filters renders filters.
func (r Renderer) Filters(fs []*model.Filter) []Filter {
	out := make([]Filter, len(fs))
	for i, f := range fs {
		out[i] = r.Filter(f)
	}
	return out
}

func (r Renderer) filterSummary(f *model.Filter) Filter {
	return Filter{ID: id.Format(f.ID), Title: f.Title, Context: contexts(f.Context), ExpiresAt: timestampPtr(f.ExpiresAt),
		FilterAction: string(f.Action)}
}

func contexts(cs []model.FilterContext) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}

// FilterKeyword renders a keyword.
func (r Renderer) FilterKeyword(k *model.FilterKeyword) FilterKeyword {
	return FilterKeyword{ID: id.Format(k.ID), Keyword: k.Keyword, WholeWord: k.WholeWord}
}

// FilterKeywords renders keywords.
func (r Renderer) FilterKeywords(ks []*model.FilterKeyword) []FilterKeyword {
	out := make([]FilterKeyword, len(ks))
	for i, k := range ks {
		out[i] = r.FilterKeyword(k)
	}
	return out
}

// FilterStatus renders a status entry of a filter.
func (r Renderer) FilterStatus(s *model.FilterStatus) FilterStatus {
	return FilterStatus{ID: id.Format(s.ID), StatusID: id.Format(s.StatusID)}
}

// FilterStatuses renders status entries.
func (r Renderer) FilterStatuses(ss []*model.FilterStatus) []FilterStatus {
	out := make([]FilterStatus, len(ss))
	for i, s := range ss {
		out[i] = r.FilterStatus(s)
	}
	return out
}

// FilterResults renders the filters that matched a status; an unmatched one has none.
func (r Renderer) FilterResults(ms []model.FilterMatch) []FilterResult {
	out := make([]FilterResult, len(ms))
	for i, m := range ms {
		out[i] = FilterResult{Filter: r.filterSummary(m.Filter), KeywordMatches: m.KeywordMatches}
		for _, s := range m.StatusMatches {
			out[i].StatusMatches = append(out[i].StatusMatches, id.Format(s))
		}
	}
	return out
}

// V1Filter renders a keyword as a first-API filter.
func (r Renderer) V1Filter(v social.V1Filter) V1Filter {
	return V1Filter{ID: id.Format(v.Keyword.ID), Phrase: v.Keyword.Keyword, Context: contexts(v.Filter.Context),
		WholeWord: v.Keyword.WholeWord, ExpiresAt: timestampPtr(v.Filter.ExpiresAt), Irreversible: v.Filter.Action == model.FilterHide}
}

// V1Filters renders first-API filters.
func (r Renderer) V1Filters(vs []social.V1Filter) []V1Filter {
	out := make([]V1Filter, len(vs))
	for i, v := range vs {
		out[i] = r.V1Filter(v)
	}
	return out
}
