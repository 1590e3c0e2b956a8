package social

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/text"
)

// filteredViews hydrates statuses for viewer, then applies the viewer's filters of
// context c: every place that lists statuses in a filter context goes through here.
func (s *Service) filteredViews(ctx context.Context, viewer *model.Account, c model.FilterContext, list []*model.Status) ([]*StatusView, error) {
	views, err := s.Views(ctx, viewer, list)
	if err != nil || viewer == nil {
		return views, err
	}
	return s.applyFilters(ctx, viewer, c, views)
}

// applyFilters marks each view (and the original it boosts) with the viewer's unexpired
// filters of context c that match it, and drops the views a hide filter matches.
func (s *Service) applyFilters(ctx context.Context, viewer *model.Account, c model.FilterContext, views []*StatusView) ([]*StatusView, error) {
	filters, err := s.Store.ActiveFilters(ctx, viewer.ID, time.Now())
	if err != nil {
		return nil, err
	}
	var inContext []*model.Filter
	for _, f := range filters {
		if f.AppliesIn(c) {
			inContext = append(inContext, f)
		}
	}
	if len(inContext) == 0 {
		return views, nil
	}
	out := views[:0]
	for _, v := range views {
		target := v
		if v.Reblog != nil {
			target = v.Reblog
		}
		matches := matchFilters(inContext, viewer.ID, target.Status)
		v.Filtered = matches
		if v.Reblog != nil {
			v.Reblog.Filtered = matches
		}
		if !hides(matches) {
			out = append(out, v)
		}
	}
	return out, nil
}

func hides(matches []model.FilterMatch) bool {
	for _, m := range matches {
		if m.Filter.Action == model.FilterHide {
			return true
		}
	}
	return false
}

// matchFilters lists the filters that match st by keyword or by id. A member's own
// statuses are never filtered for them.
func matchFilters(filters []*model.Filter, viewer int64, st *model.Status) []model.FilterMatch {
	if st.AccountID == viewer {
		return nil
	}
	var body string // lowered lazily: most filters have keywords, some only statuses
	var out []model.FilterMatch
	for _, f := range filters {
		m := model.FilterMatch{Filter: f}
		for _, k := range f.Keywords {
			if body == "" {
				body = strings.ToLower(filterableText(st))
			}
			if keywordMatches(body, strings.ToLower(k.Keyword), k.WholeWord) {
				m.KeywordMatches = append(m.KeywordMatches, k.Keyword)
			}
		}
		for _, fs := range f.Statuses {
			if fs.StatusID == st.ID {
				m.StatusMatches = append(m.StatusMatches, fs.StatusID)
			}
		}
		if len(m.KeywordMatches) > 0 || len(m.StatusMatches) > 0 {
			out = append(out, m)
		}
	}
	return out
}

// filterableText is what keywords are matched against: the content warning and the
// text (the source of a local status, the content's plain text of a remote one).
func filterableText(st *model.Status) string {
	body := st.Text
	if !st.Local || body == "" {
		body = text.PlainText(st.Content)
	}
	return st.SpoilerText + "\n\n" + body
}

// keywordMatches finds keyword in body (both lowered). A whole-word keyword must not
// run on into a word: where it begins (or ends) with a letter, digit or underscore, the
// character before (or after) it must not be one.
func keywordMatches(body, keyword string, wholeWord bool) bool {
	if keyword == "" {
		return false
	}
	for from := 0; from <= len(body)-len(keyword); {
		i := strings.Index(body[from:], keyword)
		if i < 0 {
			return false
		}
		start, end := from+i, from+i+len(keyword)
		if !wholeWord || (boundaryBefore(body, start, keyword) && boundaryAfter(body, end, keyword)) {
			return true
		}
		_, size := utf8.DecodeRuneInString(body[start:])
		from = start + size
	}
	return false
}

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func boundaryBefore(body string, start int, keyword string) bool {
	first, _ := utf8.DecodeRuneInString(keyword)
	if !isWordRune(first) || start == 0 {
		return true
	}
	prev, _ := utf8.DecodeLastRuneInString(body[:start])
	return !isWordRune(prev)
}

func boundaryAfter(body string, end int, keyword string) bool {
	last, _ := utf8.DecodeLastRuneInString(keyword)
	if !isWordRune(last) || end == len(body) {
		return true
	}
	next, _ := utf8.DecodeRuneInString(body[end:])
	return !isWordRune(next)
}
