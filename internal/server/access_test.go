package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/tuskhq/tusk/internal/accounts"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/ipblock"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

var bothEngines = []store.Engine{store.SQLite, store.Postgres}

// TestNoAccessBlockRefusesEveryRequest blocks the test's own address (127.0.0.1).
func TestNoAccessBlockRefusesEveryRequest(t *testing.T) {
	for _, engine := range bothEngines {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			in := servertest.Start(t, engine, nil)
			if err := in.Store.Writer().InsertIPBlock(context.Background(), &store.IPBlock{IP: "127.0.0.0/8", Severity: ipblock.NoAccess}); err != nil {
				t.Fatal(err)
			}
			r := in.Do(t, "", "GET", "/api/v1/instance", nil)
			var body map[string]string
			if r.Status != http.StatusForbidden || json.Unmarshal(r.Body, &body) != nil || body["error"] == "" {
				t.Errorf("request from a no_access network: %d %s; want 403 with an error", r.Status, r.Body)
			}
		})
	}
}

// TestInstanceShowsStoredRegistrationsMode checks the instance API follows "tusk admin
// settings registrations" over TUSK_REGISTRATIONS.
func TestInstanceShowsStoredRegistrationsMode(t *testing.T) {
	for _, engine := range bothEngines {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			in := servertest.Start(t, engine, func(c *config.Config) { c.Registrations = config.RegistrationsClosed })
			if err := accounts.SetRegistrationsMode(context.Background(), in.Store, config.RegistrationsApproval); err != nil {
				t.Fatal(err)
			}
			var v2 struct {
				Registrations struct{ Enabled, ApprovalRequired bool } `json:"registrations"`
			}
			var v1 struct {
				Registrations    bool `json:"registrations"`
				ApprovalRequired bool `json:"approval_required"`
			}
			in.Do(t, "", "GET", "/api/v2/instance", nil).JSON(t, &v2)
			in.Do(t, "", "GET", "/api/v1/instance", nil).JSON(t, &v1)
			if !v2.Registrations.Enabled || !v1.Registrations || !v1.ApprovalRequired {
				t.Errorf("v2 registrations = %+v, v1 = %+v; want enabled with approval", v2.Registrations, v1)
			}
		})
	}
}
