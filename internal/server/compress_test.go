package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
)

func jsonHandler(body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		io.WriteString(w, body)
	})
}

func decode(t *testing.T, coding string, body []byte) string {
	t.Helper()
	var r io.Reader
	var err error
	switch coding {
	case "gzip":
		r, err = gzip.NewReader(bytes.NewReader(body))
	case "br":
		r = brotli.NewReader(bytes.NewReader(body))
	case "zstd":
		var d *zstd.Decoder
		d, err = zstd.NewReader(bytes.NewReader(body))
		r = d
	default:
		return string(body)
	}
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decode %s: %v", coding, err)
	}
	return string(out)
}

func TestCompressJSON(t *testing.T) {
	big := `[` + strings.Repeat(`{"id":"123","content":"<p>hello</p>"},`, 200) + `{}]`
	for _, tc := range []struct {
		name, path, accept, body, want string
	}{
		{"gzip", "/api/v1/timelines/home", "gzip, deflate", big, "gzip"},
		{"brotli preferred to gzip", "/api/v1/timelines/home", "gzip, br", big, "br"},
		{"zstd preferred", "/api/v1/timelines/home", "gzip, br, zstd", big, "zstd"},
		{"q=0 refuses", "/api/v1/timelines/home", "zstd;q=0, gzip", big, "gzip"},
		{"nothing accepted", "/api/v1/timelines/home", "", big, ""},
		{"unknown coding", "/api/v1/timelines/home", "compress", big, ""},
		{"small body", "/api/v1/statuses/1", "gzip", `{"id":"1"}`, ""},
		{"not the API", "/system/x.json", "gzip", big, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", tc.path, nil)
			if tc.accept != "" {
				req.Header.Set("Accept-Encoding", tc.accept)
			}
			rec := httptest.NewRecorder()
			compressJSON(jsonHandler(tc.body)).ServeHTTP(rec, req)
			if got := rec.Header().Get("Content-Encoding"); got != tc.want {
				t.Fatalf("Content-Encoding = %q; want %q", got, tc.want)
			}
			if got := decode(t, tc.want, rec.Body.Bytes()); got != tc.body {
				t.Errorf("decoded body differs: %d bytes, want %d", len(got), len(tc.body))
			}
			if tc.want != "" && rec.Body.Len() >= len(tc.body)/4 {
				t.Errorf("compressed to %d bytes from %d", rec.Body.Len(), len(tc.body))
			}
			if strings.HasPrefix(tc.path, "/api/") && rec.Header().Get("Vary") != "Accept-Encoding" {
				t.Errorf("Vary = %q", rec.Header().Get("Vary"))
			}
		})
	}
}

func TestCompressLeavesOtherTypesAndStatusesAlone(t *testing.T) {
	html := strings.Repeat("<p>page</p>", 500)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(201)
		io.WriteString(w, html)
	})
	req := httptest.NewRequest("GET", "/api/v1/whatever", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	compressJSON(h).ServeHTTP(rec, req)
	if rec.Code != 201 || rec.Header().Get("Content-Encoding") != "" || rec.Body.String() != html {
		t.Errorf("HTML = %d %q", rec.Code, rec.Header().Get("Content-Encoding"))
	}
	big := strings.Repeat(`{"error":"x"}`, 200)
	rec = httptest.NewRecorder()
	compressJSON(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(422)
		for i := 0; i < len(big); i += 100 { // many small writes
			io.WriteString(w, big[i:min(i+100, len(big))])
		}
	})).ServeHTTP(rec, req)
	if rec.Code != 422 || rec.Header().Get("Content-Encoding") != "gzip" || decode(t, "gzip", rec.Body.Bytes()) != big {
		t.Errorf("422 JSON = %d %q", rec.Code, rec.Header().Get("Content-Encoding"))
	}
}
