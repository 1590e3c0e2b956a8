package jobs

import (
	"context"
	"fmt"
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

// seedFeeds gives reader a home feed 50 entries past the cap, and orphaned a feed whose
// statuses went with their deleted author (deleting an account takes its statuses out
// of every feed).
func seedFeeds(t *testing.T, st *store.Store) (reader, orphaned int64) {
	t.Helper()
	ctx := context.Background()
	var gone *model.Account
	err := st.Tx(ctx, func(q store.Q) error {
		accts := make([]*model.Account, 4)
		for i, name := range []string{"reader", "orphaned", "author", "gone"} {
			accts[i] = &model.Account{Username: name}
			if err := q.InsertAccount(ctx, accts[i]); err != nil {
				return err
			}
		}
		reader, orphaned, gone = accts[0].ID, accts[1].ID, accts[3]
		for i := range store.HomeFeedCap + 50 {
			author, feed := accts[2].ID, reader
			if i < 3 {
				author, feed = gone.ID, orphaned
			}
			s := &model.Status{URI: fmt.Sprintf("s-%d", i), AccountID: author, Visibility: model.Public, Local: true}
			if err := q.InsertStatus(ctx, store.NewStatus{Status: s}); err != nil {
				return err
			}
			if err := q.AddToHomeFeeds(ctx, s.ID, []int64{feed}); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		err = st.Tx(ctx, func(q store.Q) error { return q.DeleteAccount(ctx, gone.ID) })
	}
	if err != nil {
		t.Fatalf("seed feeds: %v", err)
	}
	return reader, orphaned
}
