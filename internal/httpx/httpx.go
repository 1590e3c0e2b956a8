// Package httpx holds tusk's HTTP plumbing: handlers that return errors, Mastodon's
// error body, request parameters from any encoding, and pagination Link headers.
package httpx

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
)

// Handler is an HTTP handler that returns its failure instead of writing it.
type Handler func(w http.ResponseWriter, r *http.Request) error

// Error is a failure with the status and message a client sees; Err is the cause,
// logged but never shown.
type Error struct {
	Code int
	Msg  string
	Err  error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%d %s: %v", e.Code, e.Msg, e.Err)
	}
	return fmt.Sprintf("%d %s", e.Code, e.Msg)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf makes an Error with a formatted client message.
func Errorf(code int, format string, args ...any) *Error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// Common errors, worded as Mastodon words them.
var (
	ErrNotFound     = &Error{Code: http.StatusNotFound, Msg: "Record not found"}
	ErrUnauthorized = &Error{Code: http.StatusUnauthorized, Msg: "The access token is invalid"}
	ErrForbidden    = &Error{Code: http.StatusForbidden, Msg: "This action is outside the authorized scopes"}
)

// Unprocessable is a 422 validation failure.
func Unprocessable(format string, args ...any) *Error {
	return Errorf(http.StatusUnprocessableEntity, format, args...)
}

// BadRequest is a 400.
func BadRequest(format string, args ...any) *Error {
	return Errorf(http.StatusBadRequest, format, args...)
}

// Serve adapts h to http.Handler, rendering any returned error as Mastodon's
// {"error": "..."} and logging causes of server errors.
func Serve(log *slog.Logger, h Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			WriteError(log, w, r, err)
		}
	})
}

// WriteError renders err as a JSON error response.
func WriteError(log *slog.Logger, w http.ResponseWriter, r *http.Request, err error) {
	var he *Error
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &he):
	case errors.As(err, &tooLarge):
		he = Errorf(http.StatusRequestEntityTooLarge, "Request body is larger than %d bytes", tooLarge.Limit)
	case Unavailable(err):
		he = &Error{Code: errUnavailable.Code, Msg: errUnavailable.Msg, Err: err}
		w.Header().Set("Retry-After", "5")
	default:
		he = &Error{Code: http.StatusInternalServerError, Msg: "Internal server error", Err: err}
	}
	if he.Code >= 500 {
		log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	WriteJSON(w, he.Code, map[string]string{"error": he.Msg})
}

// WriteJSON writes v as the JSON response body.
func WriteJSON(w http.ResponseWriter, code int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	return json.NewEncoder(w).Encode(v)
}

// OK writes v with status 200.
func OK(w http.ResponseWriter, v any) error { return WriteJSON(w, http.StatusOK, v) }
