package httpx

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// MaxBodyBytes bounds API request bodies; larger ones get 413.
const MaxBodyBytes = 1 << 20

// Params are a request's parameters, whichever way the client sent them: the query
// string, a form (urlencoded or multipart) or a JSON object. JSON is flattened to the
// form's bracket keys, so {"types": ["a"]} reads as types[]=a and
// {"fields_attributes": [{"name": "x"}]} as fields_attributes[0][name]=x.
type Params struct {
	url.Values
}

// ParseParams reads the query string and body of r.
func ParseParams(w http.ResponseWriter, r *http.Request) (Params, error) {
	p := Params{Values: url.Values{}}
	for k, v := range r.URL.Query() {
		p.Values[k] = v
	}
	if r.Body == nil || r.Method == http.MethodGet || r.Method == http.MethodHead {
		return p, nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		return p, p.readJSON(r.Body)
	case "multipart/form-data":
		if err := r.ParseMultipartForm(MaxBodyBytes); err != nil {
			return p, bodyError(err)
		}
		mergeValues(p.Values, r.MultipartForm.Value)
	default:
		if err := r.ParseForm(); err != nil {
			return p, bodyError(err)
		}
		mergeValues(p.Values, r.PostForm)
		if r.Method == http.MethodDelete {
			return p, p.readDeleteForm(r.Body)
		}
	}
	return p, nil
}

// readDeleteForm reads a urlencoded DELETE body, which ParseForm leaves unread though
// clients send parameters there (DELETE /api/v1/domain_blocks with domain=…).
func (p Params) readDeleteForm(body io.Reader) error {
	data, err := io.ReadAll(body)
	if err != nil {
		return bodyError(err)
	}
	form, err := url.ParseQuery(string(data))
	if err != nil {
		return BadRequest("Malformed request body: %v", err)
	}
	mergeValues(p.Values, form)
	return nil
}

func bodyError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return err
	}
	return BadRequest("Malformed request body: %v", err)
}

func mergeValues(dst, src url.Values) {
	for k, v := range src {
		dst[k] = append(dst[k], v...)
	}
}

func (p Params) readJSON(body io.Reader) error {
	data, err := io.ReadAll(body)
	if err != nil {
		return bodyError(err)
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		return nil
	}
	var obj map[string]any
	if err := json.Unmarshal(data, &obj); err != nil {
		return BadRequest("Malformed JSON body: %v", err)
	}
	for k, v := range obj {
		flatten(p.Values, k, v)
	}
	return nil
}

func flatten(dst url.Values, key string, v any) {
	switch t := v.(type) {
	case nil:
		dst[key] = append(dst[key], "")
	case map[string]any:
		for k, child := range t {
			flatten(dst, key+"["+k+"]", child)
		}
	case []any:
		for i, child := range t {
			if _, scalar := child.(map[string]any); scalar {
				flatten(dst, fmt.Sprintf("%s[%d]", key, i), child)
			} else {
				flatten(dst, key+"[]", child)
			}
		}
	case string:
		dst[key] = append(dst[key], t)
	case bool:
		dst[key] = append(dst[key], strconv.FormatBool(t))
	case float64:
		dst[key] = append(dst[key], strconv.FormatFloat(t, 'f', -1, 64))
	default:
		dst[key] = append(dst[key], fmt.Sprint(t))
	}
}

// Has reports whether the client sent key.
func (p Params) Has(key string) bool {
	_, ok := p.Values[key]
	return ok
}

// String returns key's value, or "".
func (p Params) String(key string) string { return p.Get(key) }

// List returns every value of key[] (and plain key, which some clients send).
func (p Params) List(key string) []string {
	return append(append([]string{}, p.Values[key+"[]"]...), p.Values[key]...)
}

// Bool reads a boolean the way Mastodon does: true/1/on/yes are true; absent is def.
func (p Params) Bool(key string, def bool) (bool, error) {
	if !p.Has(key) {
		return def, nil
	}
	switch strings.ToLower(p.Get(key)) {
	case "true", "1", "on", "yes", "t":
		return true, nil
	case "false", "0", "off", "no", "f", "":
		return false, nil
	}
	return false, Unprocessable("Validation failed: %s must be true or false", key)
}

// Int reads an integer within [lo, hi]; absent is def.
func (p Params) Int(key string, def, lo, hi int) (int, error) {
	if !p.Has(key) || p.Get(key) == "" {
		return def, nil
	}
	n, err := strconv.Atoi(p.Get(key))
	if err != nil || n < lo || n > hi {
		return 0, Unprocessable("Validation failed: %s must be a whole number from %d to %d", key, lo, hi)
	}
	return n, nil
}
