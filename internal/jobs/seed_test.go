package jobs

import (
	"context"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// seedOAuth stores four tokens (live, expired, expired but refreshable, revoked long
// ago) and two authorization codes (expired, fresh).
func seedOAuth(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	past, future := now.Add(-time.Minute), now.Add(time.Hour)
	err := st.Tx(ctx, func(q store.Q) error {
		acct := &model.Account{Username: "owner"}
		if err := q.InsertAccount(ctx, acct); err != nil {
			return err
		}
		user := &model.User{AccountID: acct.ID, Email: "owner@example.com", Role: "Owner"}
		if err := q.InsertUser(ctx, user); err != nil {
			return err
		}
		app := &model.App{Name: "app", ClientID: "cid", ClientSecret: "secret"}
		if err := q.InsertApp(ctx, app); err != nil {
			return err
		}
		for _, tk := range []struct {
			hash, refresh string
			expires       *time.Time
		}{{"live", "", &future}, {"expired", "", &past}, {"refreshable", "r1", &past}, {"revoked", "", nil}} {
			tok := &model.Token{AppID: &app.ID, UserID: &user.ID, Scopes: []string{"read"}, ExpiresAt: tk.expires}
			if err := q.InsertToken(ctx, tok, tk.hash, tk.refresh); err != nil {
				return err
			}
		}
		for hash, exp := range map[string]time.Time{"old": past, "fresh": future} {
			c := &model.AuthCode{AppID: app.ID, UserID: user.ID, Scopes: []string{"read"}, ExpiresAt: exp}
			if err := q.InsertAuthCode(ctx, hash, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seed oauth: %v", err)
	}
	longAgo := now.Add(-2 * store.RevokedTokenGrace)
	if _, err := st.DB().ExecContext(ctx, `UPDATE tokens SET revoked_at = $1 WHERE token_hash = 'revoked'`, longAgo); err != nil {
		t.Fatalf("seed oauth: %v", err)
	}
}
