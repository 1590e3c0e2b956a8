package oauth

import (
	"context"
	"net/http"
	"testing"

	"github.com/tuskhq/tusk/internal/accounts"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/ipblock"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// TestSignUpHonoursStoredModeAndBlocks covers what "tusk admin settings registrations",
// "email-domain-blocks" and "ip-blocks" change at sign-up. The test client is 127.0.0.1.
func TestSignUpHonoursStoredModeAndBlocks(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		cfg := testConfig()
		cfg.Registrations = config.RegistrationsClosed
		e := newEnv(t, st, cfg)
		app := e.registerApp("read write", "https://app.example/cb")
		signUp := func(username string) reply {
			return e.post("/api/v1/accounts", signUpForm(username), e.clientToken(app, "write"))
		}
		if r := signUp("closed"); r.status != http.StatusForbidden {
			t.Fatalf("configured closed: %d %s; want 403", r.status, r.raw)
		}
		if err := accounts.SetRegistrationsMode(ctx, st, config.RegistrationsOpen); err != nil {
			t.Fatal(err)
		}
		if r := signUp("opened"); r.status != http.StatusOK {
			t.Fatalf("stored open over configured closed: %d %s; want 200", r.status, r.raw)
		}
		if u, _ := st.UserByEmail(ctx, "opened@example.org"); u == nil || !u.Approved {
			t.Errorf("an open sign-up is not approved: %+v", u)
		}

		if err := st.Writer().InsertEmailDomainBlock(ctx, "example.org"); err != nil {
			t.Fatal(err)
		}
		if r := signUp("blockedmail"); r.status != http.StatusUnprocessableEntity || r.raw == "" {
			t.Errorf("blocked e-mail domain: %d %s; want 422", r.status, r.raw)
		}
		if err := st.Writer().DeleteEmailDomainBlock(ctx, "example.org"); err != nil {
			t.Fatal(err)
		}

		block := &store.IPBlock{IP: "127.0.0.0/8", Severity: ipblock.SignUpRequiresApproval}
		if err := st.Writer().InsertIPBlock(ctx, block); err != nil {
			t.Fatal(err)
		}
		if r := signUp("pending"); r.status != http.StatusOK {
			t.Fatalf("sign_up_requires_approval: %d %s; want 200", r.status, r.raw)
		}
		if u, _ := st.UserByEmail(ctx, "pending@example.org"); u == nil || u.Approved {
			t.Errorf("a sign-up from a sign_up_requires_approval network is approved: %+v", u)
		}
		if err := st.Writer().DeleteIPBlock(ctx, block.IP); err != nil {
			t.Fatal(err)
		}
		block.Severity = ipblock.SignUpBlock
		if err := st.Writer().InsertIPBlock(ctx, block); err != nil {
			t.Fatal(err)
		}
		if r := signUp("refused"); r.status != http.StatusForbidden || r.str("error") == "" {
			t.Errorf("sign_up_block: %d %s; want 403 with an error", r.status, r.raw)
		}
	})
}
