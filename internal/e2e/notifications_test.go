package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	mastodon "github.com/mattn/go-mastodon"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

// TestDirectMessagesAndNotifications drives conversations and notifications with the
// client library: a direct message thread read, answered and removed, and the
// notifications others' actions leave, including one held back by the policy.
func TestDirectMessagesAndNotifications(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			in := servertest.Start(t, engine, func(c *config.Config) { c.Registrations = config.RegistrationsOpen })
			ctx := context.Background()
			app, err := mastodon.RegisterApp(ctx, &mastodon.AppConfig{Server: in.URL, ClientName: "e2e-dm", Scopes: "read write follow"})
			if err != nil {
				t.Fatalf("RegisterApp: %v", err)
			}
			for _, name := range []string{"alice", "bob", "carol"} {
				signUp(t, in, app, name)
			}
			alice, bob, carol := logIn(t, in, app, "alice"), logIn(t, in, app, "bob"), logIn(t, in, app, "carol")
			ids := map[string]mastodon.ID{}
			for name, c := range map[string]*mastodon.Client{"alice": alice, "bob": bob, "carol": carol} {
				me, err := c.GetAccountCurrentUser(ctx)
				if err != nil {
					t.Fatal(err)
				}
				ids[name] = me.ID
			}
			for _, target := range []string{"bob", "carol"} {
				if _, err := alice.AccountFollow(ctx, ids[target]); err != nil {
					t.Fatalf("follow: %v", err)
				}
			}
			checkConversations(t, in, alice, bob, ids)
			checkNotifications(t, in, alice, bob, carol)
		})
	}
}

func checkConversations(t *testing.T, in *servertest.Instance, alice, bob *mastodon.Client, ids map[string]mastodon.ID) {
	t.Helper()
	ctx := context.Background()
	first, err := alice.PostStatus(ctx, &mastodon.Toot{Status: "@bob @carol dinner on friday?", Visibility: "direct"})
	if err != nil {
		t.Fatalf("post direct: %v", err)
	}
	convs, err := bob.GetConversations(ctx, nil)
	if err != nil || len(convs) != 1 || !convs[0].Unread || convs[0].LastStatus == nil || convs[0].LastStatus.ID != first.ID {
		t.Fatalf("bob's conversations = %+v, %v; want one unread ending with alice's message", convs, err)
	}
	var participants []mastodon.ID
	for _, a := range convs[0].Accounts {
		participants = append(participants, a.ID)
	}
	if len(participants) != 2 || !slices.Contains(participants, ids["alice"]) || !slices.Contains(participants, ids["carol"]) {
		t.Errorf("participants = %v; want alice and carol", participants)
	}
	if err := bob.MarkConversationAsRead(ctx, convs[0].ID); err != nil {
		t.Fatalf("mark read: %v", err)
	}
	if convs, err = bob.GetConversations(ctx, nil); err != nil || convs[0].Unread {
		t.Errorf("after marking read: %+v, %v", convs, err)
	}
	reply, err := bob.PostStatus(ctx, &mastodon.Toot{Status: "@alice @carol yes!", Visibility: "direct", InReplyToID: first.ID})
	if err != nil {
		t.Fatalf("reply: %v", err)
	}
	mine, err := alice.GetConversations(ctx, nil)
	if err != nil || len(mine) != 1 || !mine[0].Unread || mine[0].LastStatus.ID != reply.ID {
		t.Fatalf("alice's conversations = %+v, %v; want one, unread, ending with bob's reply", mine, err)
	}
	if direct, err := alice.GetTimelineDirect(ctx, nil); err != nil || len(direct) != 1 || direct[0].ID != reply.ID {
		t.Errorf("GetTimelineDirect = %v, %v", direct, err)
	}
	if err := alice.DeleteConversation(ctx, mine[0].ID); err != nil {
		t.Fatalf("delete conversation: %v", err)
	}
	if mine, err = alice.GetConversations(ctx, nil); err != nil || len(mine) != 0 {
		t.Errorf("alice's conversations after deleting = %+v, %v", mine, err)
	}
	if err := alice.MarkConversationAsRead(ctx, convs[0].ID); err == nil {
		t.Errorf("alice marked bob's conversation read")
	}
	if convs, err = bob.GetConversations(ctx, nil); err != nil || len(convs) != 1 {
		t.Errorf("bob's conversations after alice deleted hers = %+v, %v", convs, err)
	}
}

func checkNotifications(t *testing.T, in *servertest.Instance, alice, bob, carol *mastodon.Client) {
	t.Helper()
	ctx := context.Background()
	st, err := alice.PostStatus(ctx, &mastodon.Toot{Status: "notify me", Visibility: "public"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := carol.Favourite(ctx, st.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.Reblog(ctx, st.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.Favourite(ctx, st.ID); err != nil {
		t.Fatal(err)
	}
	types := notificationTypes(t, alice)
	// The mention is bob's reply in the direct thread: alice follows bob, so it passed her policy.
	if want := []string{"favourite", "reblog", "favourite", "mention"}; !slices.Equal(types, want) {
		t.Errorf("alice's notifications = %v; want %v", types, want)
	}
	// Bob does not follow alice, so her direct message waits in a notification request.
	if got := notificationTypes(t, bob); !slices.Equal(got, []string{"follow"}) {
		t.Fatalf("bob's notifications = %v; want only alice's follow before he accepts her request", got)
	}
	var requests []struct {
		ID string `json:"id"`
	}
	getJSON(t, in, bob, "GET", "/api/v1/notifications/requests", &requests)
	if len(requests) != 1 {
		t.Fatalf("bob's requests = %v; want alice's", requests)
	}
	getJSON(t, in, bob, "POST", "/api/v1/notifications/requests/"+requests[0].ID+"/accept", nil)
	if got := notificationTypes(t, bob); !slices.Equal(got, []string{"mention", "follow"}) {
		t.Errorf("bob's notifications after accepting = %v; want alice's mention and follow", got)
	}
	var grouped struct {
		Groups []struct {
			Type  string `json:"type"`
			Count int    `json:"notifications_count"`
		} `json:"notification_groups"`
	}
	getJSON(t, in, alice, "GET", "/api/v2/notifications", &grouped)
	if len(grouped.Groups) != 3 || grouped.Groups[0].Type != "favourite" || grouped.Groups[0].Count != 2 {
		t.Errorf("alice's grouped notifications = %+v; want favourites (2), reblog, mention", grouped.Groups)
	}
}

func notificationTypes(t *testing.T, c *mastodon.Client) []string {
	t.Helper()
	notes, err := c.GetNotifications(context.Background(), nil)
	if err != nil {
		t.Fatalf("GetNotifications: %v", err)
	}
	var types []string
	for _, n := range notes {
		types = append(types, n.Type)
	}
	return types
}

// getJSON calls an endpoint go-mastodon has no method for, with the client's token.
func getJSON(t *testing.T, in *servertest.Instance, c *mastodon.Client, method, path string, out any) {
	t.Helper()
	req, _ := http.NewRequest(method, in.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+c.Config.AccessToken)
	resp := in.Send(t, req)
	if resp.Status != http.StatusOK {
		t.Fatalf("%s %s: %d %s", method, path, resp.Status, resp.Body)
	}
	if out != nil {
		if err := json.Unmarshal(resp.Body, out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
}
