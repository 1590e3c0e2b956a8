package httpx

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestUnavailable(t *testing.T) {
	_, refused := net.Dial("tcp", "127.0.0.1:1") // nothing listens on port 1
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"refused dial", fmt.Errorf("store: get: %w", refused), true},
		{"bad connection", fmt.Errorf("store: %w", driver.ErrBadConn), true},
		{"server shutting down", &pgconn.PgError{Code: "57P01"}, true},
		{"connection failure", &pgconn.PgError{Code: "08006"}, true},
		{"unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"canceled", context.Canceled, false},
		{"other", errors.New("boom"), false},
		{"nil", nil, false},
	} {
		if got := Unavailable(tc.err); got != tc.want {
			t.Errorf("Unavailable(%s: %v) = %v; want %v", tc.name, tc.err, got, tc.want)
		}
	}
}

func TestWriteErrorAnswers503WhenTheDatabaseIsDown(t *testing.T) {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/api/v1/timelines/home", nil)
	WriteError(slog.New(slog.NewTextHandler(io.Discard, nil)), rec, req, fmt.Errorf("store: home: %w", &pgconn.PgError{Code: "57P01"}))
	var body map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != http.StatusServiceUnavailable || body["error"] == "" {
		t.Fatalf("answer = %d %q; want 503 with an error", rec.Code, rec.Body.String())
	}
	if rec.Header().Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
}
