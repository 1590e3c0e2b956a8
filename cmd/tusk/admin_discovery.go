package main

import (
	"context"
	"io"

	"github.com/tuskhq/tusk/internal/admin"
	"github.com/tuskhq/tusk/internal/server"
)

// isDiscoveryGroup reports whether an admin group is one of discovery's.
func isDiscoveryGroup(group string) bool { return group == "trends" || group == "announcements" }

// runDiscoveryGroup runs "tusk admin trends …" or "tusk admin announcements …".
func runDiscoveryGroup(ctx context.Context, srv *server.Server, rest []string, stdout io.Writer) error {
	d := admin.DiscoveryDeps{Social: srv.Social, Out: stdout}
	if rest[0] == "trends" {
		return admin.Trends(ctx, d, rest[1:])
	}
	return admin.Announcements(ctx, d, rest[1:])
}
