package server

import (
	"net/http"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/ipblock"
	"github.com/tuskhq/tusk/internal/ratelimit"
)

// errNoAccess answers every request from a network blocked with no_access.
var errNoAccess = &httpx.Error{Code: http.StatusForbidden, Msg: "Your network is not allowed to access this server"}

// blockIPs refuses requests from networks an admin blocked with severity no_access.
// When the block list cannot be read the request goes on: a database outage is
// answered by the handlers, not turned into a refusal of everyone.
func (s *Server) blockIPs(next http.Handler) http.Handler {
	checker := &ipblock.Checker{Store: s.Store, TTL: ipblock.RefreshEvery}
	trusted := s.Config.Network.TrustedProxies
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		severity, _ := checker.Severity(r.Context(), ratelimit.ClientIP(r, trusted))
		if severity == ipblock.NoAccess {
			httpx.WriteError(s.Log, w, r, errNoAccess)
			return
		}
		next.ServeHTTP(w, r)
	})
}
