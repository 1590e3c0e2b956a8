package mastoapi

import (
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"time"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

func (a *API) getFilters(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:filters")
	if err != nil {
		return err
	}
	filters, err := a.Social.Filters(r.Context(), auth.Account)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Filters(filters))
}

func (a *API) getFilter(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:filters")
	if err != nil {
		return err
	}
	filterID, err := pathID(r)
	if err != nil {
		return err
	}
	f, err := a.Social.Filter(r.Context(), auth.Account, filterID)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Filter(f))
}

func (a *API) createFilter(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:filters")
	if err != nil {
		return err
	}
	c, err := filterChange(w, r)
	if err != nil {
		return err
	}
	if c.Title == nil {
		c.Title = new(string) // refused as blank
	}
	if c.Context == nil {
		c.Context = []model.FilterContext{} // refused as blank
	}
	f, err := a.Social.CreateFilter(r.Context(), auth.Account, c)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Filter(f))
}

func (a *API) updateFilter(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:filters")
	if err != nil {
		return err
	}
	filterID, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := filterChange(w, r)
	if err != nil {
		return err
	}
	f, err := a.Social.UpdateFilter(r.Context(), auth.Account, filterID, c)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Filter(f))
}

func (a *API) deleteFilter(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:filters")
	if err != nil {
		return err
	}
	filterID, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.Social.DeleteFilter(r.Context(), auth.Account, filterID); err != nil {
		return err
	}
	return httpx.OK(w, struct{}{})
}

// filterChange reads a v2 filter's parameters.
func filterChange(w http.ResponseWriter, r *http.Request) (social.FilterChange, error) {
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return social.FilterChange{}, err
	}
	c := social.FilterChange{Title: optString(p, "title"), Context: contextParam(p)}
	if v := optString(p, "filter_action"); v != nil {
		action := model.FilterAction(*v)
		c.Action = &action
	}
	if c.Expiry, err = expiryParam(p); err != nil {
		return c, err
	}
	c.Keywords, err = keywordsAttributes(p)
	return c, err
}

// contextParam reads context[]; nil when the client sent none.
func contextParam(p httpx.Params) []model.FilterContext {
	if !p.Has("context[]") && !p.Has("context") {
		return nil
	}
	out := []model.FilterContext{}
	for _, c := range p.List("context") {
		out = append(out, model.FilterContext(c))
	}
	return out
}

// expiryParam reads expires_in: seconds from now, or empty for never.
func expiryParam(p httpx.Params) (social.Expiry, error) {
	if !p.Has("expires_in") {
		return social.Expiry{}, nil
	}
	raw := p.Get("expires_in")
	if raw == "" {
		return social.Expiry{Set: true}, nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n <= 0 || n > 1<<32 {
		return social.Expiry{}, httpx.Unprocessable("Validation failed: Expires in must be a positive number of seconds")
	}
	d := time.Duration(n) * time.Second
	return social.Expiry{Set: true, In: &d}, nil
}

var keywordAttrRE = regexp.MustCompile(`^keywords_attributes\[(\d+)\]\[(keyword|whole_word|id|_destroy)\]$`)

// keywordsAttributes reads keywords_attributes, sent indexed (keywords_attributes[0][keyword],
// as JSON arrays of objects arrive) or as parallel lists (keywords_attributes[][keyword]).
func keywordsAttributes(p httpx.Params) ([]social.KeywordChange, error) {
	byIndex := map[int]map[string]string{}
	for key, vals := range p.Values {
		if m := keywordAttrRE.FindStringSubmatch(key); m != nil && len(vals) > 0 {
			i, _ := strconv.Atoi(m[1])
			if byIndex[i] == nil {
				byIndex[i] = map[string]string{}
			}
			byIndex[i][m[2]] = vals[0]
		}
	}
	indexes := make([]int, 0, len(byIndex))
	for i := range byIndex {
		indexes = append(indexes, i)
	}
	sort.Ints(indexes)
	var attrs []map[string]string
	for _, i := range indexes {
		attrs = append(attrs, byIndex[i])
	}
	attrs = append(attrs, parallelAttributes(p)...)
	out := make([]social.KeywordChange, 0, len(attrs))
	for _, a := range attrs {
		kc, err := keywordChange(a)
		if err != nil {
			return nil, err
		}
		out = append(out, kc)
	}
	return out, nil
}

func parallelAttributes(p httpx.Params) []map[string]string {
	var out []map[string]string
	for _, field := range []string{"keyword", "whole_word", "id", "_destroy"} {
		for i, v := range p.Values["keywords_attributes[]["+field+"]"] {
			for len(out) <= i {
				out = append(out, map[string]string{})
			}
			out[i][field] = v
		}
	}
	return out
}

func keywordChange(a map[string]string) (social.KeywordChange, error) {
	var kc social.KeywordChange
	if v, ok := a["keyword"]; ok {
		kc.Keyword = &v
	}
	flags := httpx.Params{Values: map[string][]string{}}
	for _, k := range []string{"whole_word", "_destroy"} {
		if v, ok := a[k]; ok {
			flags.Values[k] = []string{v}
		}
	}
	var err error
	if kc.WholeWord, err = optBool(flags, "whole_word"); err != nil {
		return kc, err
	}
	if kc.Destroy, err = flags.Bool("_destroy", false); err != nil {
		return kc, err
	}
	if raw := a["id"]; raw != "" {
		v, ok := id.Parse(raw)
		if !ok {
			return kc, httpx.ErrNotFound
		}
		kc.ID = v
	}
	return kc, nil
}
