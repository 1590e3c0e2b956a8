package main

import (
	"context"
	"io"

	"github.com/tuskhq/tusk/internal/admin"
	"github.com/tuskhq/tusk/internal/delivery"
	"github.com/tuskhq/tusk/internal/server"
)

const federationUsage = `Federation commands (per-host delivery; also at /admin/federation on the web):
  hosts [--state unavailable|degraded|suspended|healthy] [--sort backlog|host] [--json]
  host HOST [--reset|--suspend-delivery|--resume-delivery] [--json]
`

// runFederationGroup runs "tusk admin federation …".
func runFederationGroup(ctx context.Context, srv *server.Server, rest []string, stdout io.Writer) error {
	return admin.Federation(ctx, admin.FederationDeps{Delivery: &delivery.Service{Store: srv.Store}, Out: stdout}, rest[1:])
}
