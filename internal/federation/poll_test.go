package federation_test

import (
	"context"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/fedtest"
	"github.com/tuskhq/tusk/internal/server/servertest"
)

// question is an open single-choice poll of a with the given vote counts.
func question(a *fedtest.Actor, path string, votes ...int) map[string]any {
	q := a.Note(path, "<p>Tea or coffee?</p>")
	q["type"] = "Question"
	q["endTime"] = time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	var options []any
	for i, n := range votes {
		options = append(options, map[string]any{"type": "Note", "name": []string{"tea", "coffee"}[i],
			"replies": map[string]any{"type": "Collection", "totalItems": n}})
	}
	q["oneOf"] = options
	return q
}

type pollEntity struct {
	ID          string
	Expired     bool
	VotesCount  int64  `json:"votes_count"`
	VotersCount *int64 `json:"voters_count"`
	Options     []struct {
		Title      string
		VotesCount *int64 `json:"votes_count"`
	}
}

func TestRemotePollCountsAreShownAndRefreshed(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, in *servertest.Instance) {
		ctx := context.Background()
		bob := in.NewMember(t, "bob")
		remote := fedtest.NewRemote(t)
		alice := remote.Actor("alice")
		deliver(t, in, alice, alice.Activity("Create", "/polls/1/activity", question(alice, "/polls/1", 2, 5)))
		st, err := in.Store.StatusByURI(ctx, remote.URL+"/polls/1")
		if err != nil {
			t.Fatal(err)
		}
		var status struct{ Poll pollEntity }
		bob.Do(t, "GET", "/api/v1/statuses/"+itoa(st.ID), nil).JSON(t, &status)
		checkPoll(t, status.Poll, 2, 5)

		updated := question(alice, "/polls/1", 3, 9) // new votes came in there
		deliver(t, in, alice, alice.Activity("Update", "/polls/1/update/1", updated))
		var poll pollEntity
		bob.Do(t, "GET", "/api/v1/polls/"+status.Poll.ID, nil).JSON(t, &poll)
		checkPoll(t, poll, 3, 9)
		if n := count(t, in, `SELECT COUNT(*) FROM status_edits WHERE status_id = $1`, st.ID); n != 0 {
			t.Errorf("edits after a count refresh = %d; want 0 (no edit)", n)
		}
	})
}

func checkPoll(t *testing.T, p pollEntity, tea, coffee int64) {
	t.Helper()
	if len(p.Options) != 2 || p.Options[0].VotesCount == nil || p.Options[1].VotesCount == nil {
		t.Fatalf("poll = %+v; want two options with counts", p)
	}
	if *p.Options[0].VotesCount != tea || *p.Options[1].VotesCount != coffee || p.VotesCount != tea+coffee ||
		p.VotersCount == nil || *p.VotersCount != tea+coffee || p.Expired {
		t.Errorf("poll = %+v; want %d/%d, %d voters, open", p, tea, coffee, tea+coffee)
	}
}
