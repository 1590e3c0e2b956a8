package httpx

import (
	"database/sql/driver"
	"errors"
	"net"
	"net/http"
	"strings"
	"syscall"
)

// errUnavailable answers a request that failed because a dependency (the database,
// Redis) could not be reached: the client may retry, and nothing was half done, since
// every write is one transaction.
var errUnavailable = &Error{Code: http.StatusServiceUnavailable, Msg: "Service temporarily unavailable; try again shortly"}

// sqlStater is implemented by PostgreSQL errors (pgconn.PgError) without importing the driver.
type sqlStater interface{ SQLState() string }

// Unavailable reports whether err is a connection-level failure of a dependency rather
// than a fault of the request or a bug: a refused or reset connection, a server shutting
// down, or a connection the driver gave up on.
func Unavailable(err error) bool {
	var ne net.Error
	var ss sqlStater
	switch {
	case err == nil:
		return false
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE):
		return true
	case errors.As(err, &ss):
		return unavailableState(ss.SQLState())
	case errors.As(err, &ne):
		return true
	}
	return false
}

// unavailableState covers PostgreSQL's connection exceptions (class 08), a server
// shutting down or starting (57P01–57P03) and too many connections (53300).
func unavailableState(state string) bool {
	return strings.HasPrefix(state, "08") || state == "57P01" || state == "57P02" || state == "57P03" || state == "53300"
}
