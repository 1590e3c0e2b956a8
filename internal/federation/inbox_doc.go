package federation

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// doc is an inbound JSON-LD document read as plain JSON. Other servers send the same
// property as a string, an object or an array of either, so every read goes through
// the tolerant accessors below rather than a fixed struct.
//
// This is the narrow reading inbound processing needs until internal/ap (the shared,
// tolerant ActivityStreams decoder) lands; processing only uses these accessors, so
// moving onto ap changes this file alone.
type doc map[string]any

var errNotObject = errors.New("federation: document is not a JSON object")

func parseDoc(body []byte) (doc, error) {
	var d doc
	if err := json.Unmarshal(body, &d); err != nil {
		return nil, fmt.Errorf("federation: decode document: %w", err)
	}
	if d == nil {
		return nil, errNotObject
	}
	return d, nil
}

// str is a string property ("" when absent or of another kind).
func (d doc) str(key string) string {
	s, _ := d[key].(string)
	return s
}

// bool is a boolean property (false when absent).
func (d doc) bool(key string) bool {
	b, _ := d[key].(bool)
	return b
}

// id is the document's id.
func (d doc) id() string { return d.str("id") }

// typ is the document's type; of several, the first.
func (d doc) typ() string {
	switch v := d["type"].(type) {
	case string:
		return v
	case []any:
		if len(v) > 0 {
			s, _ := v[0].(string)
			return s
		}
	}
	return ""
}

// ref is the id a property names: the string itself, or an embedded object's id; of
// an array, the first.
func (d doc) ref(key string) string { return refOf(d[key]) }

func refOf(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case map[string]any:
		s, _ := v["id"].(string)
		return s
	case []any:
		if len(v) > 0 {
			return refOf(v[0])
		}
	}
	return ""
}

// refs is every id a property names.
func (d doc) refs(key string) []string {
	switch v := d[key].(type) {
	case []any:
		out := make([]string, 0, len(v))
		for _, item := range v {
			if s := refOf(item); s != "" {
				out = append(out, s)
			}
		}
		return out
	case nil:
		return nil
	}
	if s := refOf(d[key]); s != "" {
		return []string{s}
	}
	return nil
}

// obj is an embedded object, nil when the property is only an id.
func (d doc) obj(key string) doc {
	switch v := d[key].(type) {
	case map[string]any:
		return doc(v)
	case []any:
		if len(v) > 0 {
			if m, ok := v[0].(map[string]any); ok {
				return doc(m)
			}
		}
	}
	return nil
}

// objs is every embedded object of a property (a tag or attachment list).
func (d doc) objs(key string) []doc {
	switch v := d[key].(type) {
	case map[string]any:
		return []doc{v}
	case []any:
		out := make([]doc, 0, len(v))
		for _, item := range v {
			if m, ok := item.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	}
	return nil
}

// time is a timestamp property; zero when absent or malformed.
func (d doc) time(key string) time.Time {
	t, err := time.Parse(time.RFC3339, d.str(key))
	if err != nil {
		return time.Time{}
	}
	return t
}

// int is a number property, nil when absent.
func (d doc) int(key string) *int64 {
	f, ok := d[key].(float64)
	if !ok || f < 0 {
		return nil
	}
	n := int64(f)
	return &n
}

// langString is a natural-language property: the plain one, else the first of its map.
func (d doc) langString(key string) (text, lang string) {
	if s := d.str(key); s != "" {
		return s, ""
	}
	if m, ok := d[key+"Map"].(map[string]any); ok {
		for l, v := range m {
			if s, ok := v.(string); ok {
				return s, l
			}
		}
	}
	return "", ""
}

// hostOf is the lower-cased host (with port) of an absolute http(s) URL, "" otherwise.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Host)
}

// sameHost reports whether two URLs are on the same host; "" never matches.
func sameHost(a, b string) bool {
	ha := hostOf(a)
	return ha != "" && ha == hostOf(b)
}

// httpURL keeps raw when it is an absolute http(s) URL with a host of bounded length.
func httpURL(raw string) string {
	if len(raw) > 2048 || hostOf(raw) == "" || strings.ContainsAny(raw, "\r\n") {
		return ""
	}
	return raw
}
