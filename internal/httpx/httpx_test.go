package httpx

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func parse(t *testing.T, method, target, contentType, body string) (Params, error) {
	t.Helper()
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return ParseParams(httptest.NewRecorder(), r)
}

func TestParamsReadEveryEncodingAlike(t *testing.T) {
	for _, tc := range []struct {
		name, contentType, body string
	}{
		{"json", "application/json", `{"status":"hi","types":["a","b"],"fields_attributes":[{"name":"x","value":"y"}],"sensitive":true}`},
		{"form", "application/x-www-form-urlencoded", "status=hi&types[]=a&types[]=b&fields_attributes[0][name]=x&fields_attributes[0][value]=y&sensitive=true"},
	} {
		p, err := parse(t, "POST", "/x", tc.contentType, tc.body)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := p.List("types"); !cmp.Equal(got, []string{"a", "b"}) {
			t.Errorf("%s: List(types) = %q; want [a b]", tc.name, got)
		}
		if p.String("status") != "hi" || p.Get("fields_attributes[0][name]") != "x" || p.Get("fields_attributes[0][value]") != "y" {
			t.Errorf("%s: params = %v", tc.name, p.Values)
		}
		if v, err := p.Bool("sensitive", false); !v || err != nil {
			t.Errorf("%s: Bool(sensitive) = %v, %v; want true", tc.name, v, err)
		}
	}
}

func TestParamsErrors(t *testing.T) {
	_, err := parse(t, "POST", "/x", "application/json", `{"status": `)
	var he *Error
	if !errors.As(err, &he) || he.Code != http.StatusBadRequest {
		t.Errorf("malformed JSON: err = %v; want 400", err)
	}
	_, err = parse(t, "POST", "/x", "application/json", `{"status":"`+strings.Repeat("a", MaxBodyBytes)+`"}`)
	var tooLarge *http.MaxBytesError
	if !errors.As(err, &tooLarge) {
		t.Errorf("oversized body: err = %v; want MaxBytesError", err)
	}
	p, _ := parse(t, "GET", "/x?flag=maybe&n=7", "", "")
	if _, err := p.Bool("flag", false); err == nil {
		t.Error("Bool(maybe) accepted")
	}
	if _, err := p.Int("n", 0, 1, 5); err == nil {
		t.Error("Int(7) accepted outside 1..5")
	}
}

func TestParsePage(t *testing.T) {
	for _, tc := range []struct {
		query string
		want  Page
	}{
		{"", Page{Limit: 20}},
		{"limit=500", Page{Limit: 40}},
		{"limit=0", Page{Limit: 1}},
		{"max_id=9&since_id=3&min_id=4&limit=5", Page{MaxID: 9, SinceID: 3, MinID: 4, Limit: 5}},
	} {
		p, _ := parse(t, "GET", "/x?"+tc.query, "", "")
		got, err := ParsePage(p, 20, 40)
		if err != nil || got != tc.want {
			t.Errorf("ParsePage(%q) = %+v, %v; want %+v", tc.query, got, err, tc.want)
		}
	}
	p, _ := parse(t, "GET", "/x?max_id=abc", "", "")
	if _, err := ParsePage(p, 20, 40); err == nil {
		t.Error("ParsePage(max_id=abc) accepted")
	}
}

func TestSetLinksKeepsOtherParameters(t *testing.T) {
	w := httptest.NewRecorder()
	r := httptest.NewRequest("GET", "/api/v1/timelines/public?local=true&max_id=50&limit=2", nil)
	SetLinks(w, r, "https://example.com", 40, 30)
	want := `<https://example.com/api/v1/timelines/public?limit=2&local=true&max_id=30>; rel="next", ` +
		`<https://example.com/api/v1/timelines/public?limit=2&local=true&min_id=40>; rel="prev"`
	if got := w.Header().Get("Link"); got != want {
		t.Errorf("Link = %s\nwant   %s", got, want)
	}
}

func TestServeRendersErrors(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range []struct {
		err  error
		code int
		body string
	}{
		{ErrNotFound, 404, `{"error":"Record not found"}`},
		{Unprocessable("Validation failed: x"), 422, `{"error":"Validation failed: x"}`},
		{errors.New("db down"), 500, `{"error":"Internal server error"}`},
	} {
		w := httptest.NewRecorder()
		Serve(log, func(http.ResponseWriter, *http.Request) error { return tc.err }).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		if w.Code != tc.code || strings.TrimSpace(w.Body.String()) != tc.body {
			t.Errorf("error %v: %d %s; want %d %s", tc.err, w.Code, w.Body, tc.code, tc.body)
		}
	}
}
