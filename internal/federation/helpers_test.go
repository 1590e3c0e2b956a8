package federation_test

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
	"golang.org/x/crypto/bcrypt"
)

type jsonObj = map[string]any

const (
	activityJSON = "application/activity+json"
	ldJSON       = `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`
)

// engines runs fn on a fresh instance of each database engine, in parallel.
func servedEngines(t *testing.T, configure func(*config.Config), fn func(t *testing.T, in *servertest.Instance)) {
	t.Parallel()
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			in := servertest.Start(t, engine, configure)
			in.Accounts.PasswordCost = bcrypt.MinCost
			fn(t, in)
		})
	}
}

// get fetches path from the instance with an Accept header ("" sends none) and no redirects followed.
func fetchPath(t *testing.T, in *servertest.Instance, path, accept string) *servertest.Response {
	t.Helper()
	req, err := http.NewRequest("GET", in.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &servertest.Response{Status: resp.StatusCode, Header: resp.Header, Body: body}
}

var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// doc fetches an ActivityPub document, checking the status and content type.
func fetchDoc(t *testing.T, in *servertest.Instance, path string) jsonObj {
	t.Helper()
	r := fetchPath(t, in, path, activityJSON)
	if r.Status != 200 {
		t.Fatalf("GET %s = %d %s", path, r.Status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/activity+json; charset=utf-8" {
		t.Fatalf("GET %s Content-Type = %q", path, ct)
	}
	var v jsonObj
	r.JSON(t, &v)
	return v
}

// decodeStrict decodes data into v, refusing fields v does not know.
func decodeStrict(t *testing.T, data []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("strict decode of %s: %v", data, err)
	}
}

// reference reads a document of the shared ActivityPub reference corpus.
func reference(t *testing.T, name string) jsonObj {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var v jsonObj
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// missingKeys lists the keys of want that got lacks, except those in ignore.
func missingKeys(want, got jsonObj, ignore ...string) []string {
	skip := map[string]bool{}
	for _, k := range ignore {
		skip[k] = true
	}
	var out []string
	for k := range want {
		if _, ok := got[k]; !ok && !skip[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func holds(list any, want string) bool {
	items, _ := list.([]any)
	for _, v := range items {
		if v == want {
			return true
		}
	}
	return false
}
