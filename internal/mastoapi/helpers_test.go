package mastoapi_test

import (
	"encoding/json"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/tuskhq/tusk/internal/server/servertest"
	"golang.org/x/crypto/bcrypt"
)

func idOf(v int64) string { return strconv.FormatInt(v, 10) }

// jsonObj and jsonList are decoded API entities.
type (
	jsonObj  = map[string]any
	jsonList = []map[string]any
)

// want fails the test unless r has the status code.
func want(t *testing.T, r *servertest.Response, code int, what string) {
	t.Helper()
	if r.Status != code {
		t.Fatalf("%s = %d %s; want %d", what, r.Status, r.Body, code)
	}
}

// obj decodes r as one JSON object after checking its status.
func obj(t *testing.T, r *servertest.Response, code int, what string) jsonObj {
	t.Helper()
	want(t, r, code, what)
	var v jsonObj
	r.JSON(t, &v)
	return v
}

// list decodes r as a JSON array of objects after checking for 200.
func list(t *testing.T, r *servertest.Response, what string) jsonList {
	t.Helper()
	want(t, r, 200, what)
	var v jsonList
	r.JSON(t, &v)
	return v
}

// errorMessage checks r's status and returns the message of its {"error": …} body.
func errorMessage(t *testing.T, r *servertest.Response, code int, what string) string {
	t.Helper()
	v := obj(t, r, code, what)
	msg, ok := v["error"].(string)
	if !ok || msg == "" {
		t.Fatalf("%s body = %s; want {\"error\": \"…\"}", what, r.Body)
	}
	return msg
}

// post publishes a status as m and returns it.
func post(t *testing.T, m *servertest.Member, body jsonObj) jsonObj {
	t.Helper()
	return obj(t, m.Do(t, "POST", "/api/v1/statuses", body), 200, "post "+m.Account.Username)
}

// say posts a public status with text.
func say(t *testing.T, m *servertest.Member, text string) string {
	t.Helper()
	return post(t, m, jsonObj{"status": text})["id"].(string)
}

// follow makes a follow b and fails unless it took effect (or was requested).
func follow(t *testing.T, a, b *servertest.Member) jsonObj {
	t.Helper()
	return obj(t, a.Do(t, "POST", "/api/v1/accounts/"+idOf(b.Account.ID)+"/follow", nil), 200, a.Account.Username+" follows "+b.Account.Username)
}

// ids returns the "id" of each entity.
func ids(l jsonList) []string {
	out := make([]string, len(l))
	for i, v := range l {
		out[i], _ = v["id"].(string)
	}
	return out
}

// idsAt fetches path as m and returns the ids of the listed entities.
func idsAt(t *testing.T, m *servertest.Member, path string) []string {
	t.Helper()
	return ids(list(t, m.Do(t, "GET", path, nil), "GET "+path))
}

// sameIDs fails unless got equals want in order.
func sameIDs(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s = %v; want %v", what, got, want)
	}
}

var linkRE = regexp.MustCompile(`<([^>]+)>;\s*rel="([a-z]+)"`)

// link returns the path and query of r's Link header entry for rel ("" when absent),
// checking that it points at the instance.
func link(t *testing.T, in *servertest.Instance, r *servertest.Response, rel string) string {
	t.Helper()
	for _, m := range linkRE.FindAllStringSubmatch(r.Header.Get("Link"), -1) {
		if m[2] != rel {
			continue
		}
		u, err := url.Parse(m[1])
		if err != nil || u.Host != in.Config.WebDomain || (u.Scheme != "http" && u.Scheme != "https") {
			t.Fatalf("Link %s URL %q does not point at %s", rel, m[1], in.Config.WebDomain)
		}
		return u.RequestURI()
	}
	return ""
}

// field reads a nested value by keys, e.g. field(v, "account", "id").
func field(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// The OpenAPI description of Mastodon's API is the reference for entity shapes.
var (
	openapiOnce    sync.Once
	openapiSchemas map[string]any
	openapiErr     error
)

func schemas(t *testing.T) map[string]any {
	t.Helper()
	openapiOnce.Do(func() {
		var doc struct {
			Components struct {
				Schemas map[string]any `json:"schemas"`
			} `json:"components"`
		}
		data, err := os.ReadFile("/work/shared/reference/mastodon-openapi.json")
		if err == nil {
			err = json.Unmarshal(data, &doc)
		}
		openapiSchemas, openapiErr = doc.Components.Schemas, err
	})
	if openapiErr != nil {
		t.Skipf("Mastodon OpenAPI reference unavailable: %v", openapiErr)
	}
	return openapiSchemas
}

// conforms checks v against the named Mastodon entity schema: every required key is
// present, and every present key has a type (and enum value) the schema allows.
// Nested entities ($ref, arrays of $ref, inline objects) are checked too.
func conforms(t *testing.T, entity string, v any) {
	t.Helper()
	all := schemas(t)
	for _, problem := range checkSchema(all, all[entity], v, entity) {
		t.Errorf("%s", problem)
	}
}

func checkSchema(all map[string]any, schema, v any, path string) []string {
	s, _ := schema.(map[string]any)
	if s == nil {
		return nil
	}
	if alts, ok := s["oneOf"].([]any); ok {
		var first []string
		for i, alt := range alts {
			problems := checkSchema(all, alt, v, path)
			if len(problems) == 0 {
				return nil
			}
			if i == 0 {
				first = problems
			}
		}
		return first
	}
	if ref, ok := s["$ref"].(string); ok {
		target := all[strings.TrimPrefix(ref, "#/components/schemas/")]
		if _, hasType := s["type"]; !hasType {
			return checkSchema(all, target, v, path)
		}
		if problems := checkSchema(all, target, v, path); len(problems) > 0 {
			return problems
		}
	}
	if !typeAllowed(s["type"], v) {
		return []string{path + ": " + describe(v) + " is not of type " + describeType(s["type"])}
	}
	if enum, ok := s["enum"].([]any); ok && v != nil && !slices.Contains(enum, v) {
		return []string{path + ": " + describe(v) + " is not one of the allowed values"}
	}
	var problems []string
	switch x := v.(type) {
	case map[string]any:
		req, _ := s["required"].([]any)
		for _, k := range req {
			if _, ok := x[k.(string)]; !ok {
				problems = append(problems, path+": required key "+k.(string)+" is missing")
			}
		}
		props, _ := s["properties"].(map[string]any)
		for k, child := range x {
			if ps, ok := props[k]; ok {
				problems = append(problems, checkSchema(all, ps, child, path+"."+k)...)
			}
		}
	case []any:
		for i, item := range x {
			problems = append(problems, checkSchema(all, s["items"], item, path+"["+strconv.Itoa(i)+"]")...)
		}
	}
	return problems
}

func typeAllowed(typ, v any) bool {
	var types []string
	switch t := typ.(type) {
	case nil:
		return true
	case string:
		types = []string{t}
	case []any:
		for _, x := range t {
			types = append(types, x.(string))
		}
	}
	return slices.Contains(types, jsonType(v)) || (jsonType(v) == "integer" && slices.Contains(types, "number"))
}

func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case float64:
		if x == float64(int64(x)) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "unknown"
}

func describe(v any) string {
	data, _ := json.Marshal(v)
	if len(data) > 60 {
		data = append(data[:60], "…"...)
	}
	return string(data)
}

func describeType(typ any) string {
	data, _ := json.Marshal(typ)
	return string(data)
}

// conformsAll checks each element of a decoded list.
func conformsAll(t *testing.T, entity string, l jsonList) {
	t.Helper()
	for _, v := range l {
		conforms(t, entity, map[string]any(v))
	}
}

// engines runs fn on a fresh instance of each database engine, in parallel with the
// other tests: every instance has its own database, so nothing is shared. The instance
// starts only once its subtest may run, so paused tests hold no database connections.
func engines(t *testing.T, fn func(t *testing.T, in *servertest.Instance)) {
	enginesWith(t, nil, fn)
}

// fastPasswords makes new members cheap: these tests never sign in with a password,
// and a production-cost hash per member would dominate the suite's time.
func fastPasswords(in *servertest.Instance) { in.Accounts.PasswordCost = bcrypt.MinCost }
