package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	mastodon "github.com/mattn/go-mastodon"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

// TestStatusFeaturesWithClientLibrary drives editing, polls and scheduled statuses
// through go-mastodon, as an app would.
func TestStatusFeaturesWithClientLibrary(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			in := servertest.Start(t, engine, func(c *config.Config) { c.Registrations = config.RegistrationsOpen })
			app, err := mastodon.RegisterApp(context.Background(), &mastodon.AppConfig{Server: in.URL, ClientName: "e2e", Scopes: "read write follow"})
			if err != nil {
				t.Fatalf("RegisterApp: %v", err)
			}
			signUp(t, in, app, "alice")
			signUp(t, in, app, "bob")
			alice, bob := logIn(t, in, app, "alice"), logIn(t, in, app, "bob")
			checkEdit(t, alice, bob)
			checkPoll(t, alice, bob)
			checkScheduled(t, alice)
		})
	}
}

func checkEdit(t *testing.T, alice, bob *mastodon.Client) {
	ctx := context.Background()
	st, err := alice.PostStatus(ctx, &mastodon.Toot{Status: "first draft", Visibility: "public"})
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	edited, err := alice.UpdateStatus(ctx, &mastodon.Toot{Status: "second draft", SpoilerText: "spoiler"}, st.ID)
	if err != nil {
		t.Fatalf("UpdateStatus: %v", err)
	}
	if edited.ID != st.ID || !strings.Contains(edited.Content, "second draft") || edited.EditedAt.IsZero() || edited.SpoilerText != "spoiler" {
		t.Errorf("edited = %s %q edited_at %v spoiler %q", edited.ID, edited.Content, edited.EditedAt, edited.SpoilerText)
	}
	history, err := bob.GetStatusHistory(ctx, st.ID)
	if err != nil {
		t.Fatalf("GetStatusHistory: %v", err)
	}
	if len(history) != 2 || !strings.Contains(history[0].Content, "first draft") || !strings.Contains(history[1].Content, "second draft") {
		t.Errorf("history = %+v; want the first then the second draft", history)
	}
	source, err := alice.GetStatusSource(ctx, st.ID)
	if err != nil || source.Text != "second draft" || source.SpoilerText != "spoiler" {
		t.Errorf("GetStatusSource = %+v, %v", source, err)
	}
	if _, err := bob.UpdateStatus(ctx, &mastodon.Toot{Status: "not mine"}, st.ID); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("bob editing alice's status: %v; want a 404", err)
	}
}

func checkPoll(t *testing.T, alice, bob *mastodon.Client) {
	ctx := context.Background()
	st, err := alice.PostStatus(ctx, &mastodon.Toot{Status: "tea or coffee?", Visibility: "public",
		Poll: &mastodon.TootPoll{Options: []string{"tea", "coffee"}, ExpiresInSeconds: 3600}})
	if err != nil {
		t.Fatalf("post poll: %v", err)
	}
	if st.Poll == nil || len(st.Poll.Options) != 2 || st.Poll.Options[1].Title != "coffee" || st.Poll.Expired {
		t.Fatalf("posted poll = %+v", st.Poll)
	}
	poll, err := bob.GetPoll(ctx, st.Poll.ID)
	if err != nil || poll.Voted {
		t.Fatalf("GetPoll = %+v, %v; want an unvoted poll", poll, err)
	}
	poll, err = bob.PollVote(ctx, st.Poll.ID, 1)
	if err != nil {
		t.Fatalf("PollVote: %v", err)
	}
	if !poll.Voted || len(poll.OwnVotes) != 1 || poll.OwnVotes[0] != 1 || poll.VotesCount != 1 || poll.Options[1].VotesCount != 1 {
		t.Errorf("after voting = %+v", poll)
	}
	if _, err := bob.PollVote(ctx, st.Poll.ID, 0); err == nil || !strings.Contains(err.Error(), "already voted") {
		t.Errorf("voting twice: %v; want already voted", err)
	}
	if _, err := alice.PollVote(ctx, st.Poll.ID, 0); err == nil || !strings.Contains(err.Error(), "own polls") {
		t.Errorf("voting in one's own poll: %v", err)
	}
}

func checkScheduled(t *testing.T, alice *mastodon.Client) {
	ctx := context.Background()
	before, err := alice.GetAccountCurrentUser(ctx)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(time.Hour).Truncate(time.Second)
	sched, err := alice.PostStatus(ctx, &mastodon.Toot{Status: "see you in an hour", Visibility: "unlisted", ScheduledAt: &at})
	if err != nil {
		t.Fatalf("schedule: %v", err)
	}
	if sched.ID == "" || sched.ScheduledParams.Text != "see you in an hour" || sched.ScheduledParams.Visibility != "unlisted" {
		t.Errorf("scheduled = %+v", sched)
	}
	after, err := alice.GetAccountCurrentUser(ctx)
	if err != nil || after.StatusesCount != before.StatusesCount {
		t.Errorf("statuses_count %d → %d (%v); scheduling must not post", before.StatusesCount, after.StatusesCount, err)
	}
	soon := time.Now().Add(time.Minute)
	if _, err := alice.PostStatus(ctx, &mastodon.Toot{Status: "too soon", ScheduledAt: &soon}); err == nil || !strings.Contains(err.Error(), "422") {
		t.Errorf("scheduling a minute ahead: %v; want a 422", err)
	}
}
