package main

import (
	"context"
	"io"

	"github.com/tuskhq/tusk/internal/admin"
	"github.com/tuskhq/tusk/internal/server"
)

// runOpsGroup runs "tusk admin settings|ip-blocks|email-domain-blocks|domains|statuses|
// cache|search …" against an opened instance. Progress bars go to stderr.
func runOpsGroup(ctx context.Context, srv *server.Server, rest []string, stdout, stderr io.Writer) error {
	d := admin.OpsDeps{Store: srv.Store, Config: srv.Config, Cache: srv.MediaCache, Client: srv.OutboundClient(),
		Out: stdout, Err: stderr}
	return admin.Ops(ctx, d, rest[0], rest[1:])
}
