package mastoapi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/server/servertest"
)

func pollBody(text string, options ...string) jsonObj {
	return jsonObj{"status": text, "poll": jsonObj{"options": options, "expires_in": 600}}
}

// optionVotes returns the votes_count of each option of a Poll entity (-1 for null).
func optionVotes(poll any) []float64 {
	var out []float64
	opts, _ := field(poll, "options").([]any)
	for _, o := range opts {
		n, ok := field(o, "votes_count").(float64)
		if !ok {
			n = -1
		}
		out = append(out, n)
	}
	return out
}

func TestPostPollAndVote(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol")
		st := post(t, alice, pollBody("which?", "tea", "coffee", "water"))
		conforms(t, "Status", st)
		poll := st["poll"]
		conforms(t, "Poll", poll)
		pollID, _ := field(poll, "id").(string)
		if pollID == "" || field(poll, "multiple") != false || field(poll, "expired") != false || field(poll, "voted") != true {
			t.Fatalf("posted poll = %v; want an open single-choice poll the author counts as voted", poll)
		}
		if exp, _ := time.Parse(time.RFC3339, field(poll, "expires_at").(string)); time.Until(exp) < 9*time.Minute || time.Until(exp) > 11*time.Minute {
			t.Errorf("expires_at = %v; want ten minutes ahead", field(poll, "expires_at"))
		}
		seen := obj(t, bob.Do(t, "GET", "/api/v1/polls/"+pollID, nil), 200, "bob reads the poll")
		conforms(t, "Poll", seen)
		if seen["voted"] != false || len(seen["own_votes"].([]any)) != 0 {
			t.Errorf("before voting voted, own_votes = %v, %v", seen["voted"], seen["own_votes"])
		}
		voted := obj(t, bob.Do(t, "POST", "/api/v1/polls/"+pollID+"/votes", jsonObj{"choices": []int{1}}), 200, "bob votes")
		conforms(t, "Poll", voted)
		if voted["voted"] != true || voted["votes_count"] != 1.0 || voted["voters_count"] != 1.0 {
			t.Errorf("after voting = %v", voted)
		}
		if own := voted["own_votes"].([]any); len(own) != 1 || own[0] != 1.0 {
			t.Errorf("own_votes = %v; want [1]", own)
		}
		obj(t, carol.Form(t, "POST", "/api/v1/polls/"+pollID+"/votes", "choices[]=1"), 200, "carol votes by form")
		if got := optionVotes(getStatus(t, alice, st["id"].(string))["poll"]); len(got) != 3 || got[0] != 0 || got[1] != 2 || got[2] != 0 {
			t.Errorf("option counts = %v; want [0 2 0]", got)
		}
		anon := obj(t, in.Do(t, "", "GET", "/api/v1/polls/"+pollID, nil), 200, "anonymous poll")
		if _, ok := anon["voted"]; ok {
			t.Errorf("anonymous poll carries voted")
		}

		for _, c := range []struct {
			who     *servertest.Member
			choices []int
			msg     string
		}{
			{bob, []int{0}, "Validation failed: You have already voted on this poll"},
			{alice, []int{0}, "Validation failed: You cannot vote in your own polls"},
			{in.NewMember(t, "dave"), []int{3}, "Validation failed: The chosen vote option does not exist"},
			{in.NewMember(t, "erin"), []int{0, 1}, "Validation failed: You have already voted on this poll"},
		} {
			if msg := errorMessage(t, c.who.Do(t, "POST", "/api/v1/polls/"+pollID+"/votes", jsonObj{"choices": c.choices}), 422, "vote"); msg != c.msg {
				t.Errorf("%s votes %v: %q; want %q", c.who.Account.Username, c.choices, msg, c.msg)
			}
		}
		errorMessage(t, carol.Do(t, "POST", "/api/v1/polls/"+pollID+"/votes", jsonObj{}), 400, "vote without choices")
		errorMessage(t, bob.Do(t, "GET", "/api/v1/polls/4242", nil), 404, "missing poll")
		private := post(t, alice, jsonObj{"status": "secret poll", "visibility": "private", "poll": jsonObj{"options": []string{"a", "b"}, "expires_in": 300}})
		privatePoll := field(private, "poll", "id").(string)
		errorMessage(t, bob.Do(t, "GET", "/api/v1/polls/"+privatePoll, nil), 404, "invisible poll")
		errorMessage(t, bob.Do(t, "POST", "/api/v1/polls/"+privatePoll+"/votes", jsonObj{"choices": []int{0}}), 404, "vote in an invisible poll")
	})
}

func TestMultipleChoiceHiddenTotals(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		st := obj(t, alice.Form(t, "POST", "/api/v1/statuses",
			"status=pick&poll[options][]=a&poll[options][]=b&poll[options][]=c&poll[expires_in]=300&poll[multiple]=true&poll[hide_totals]=true"), 200, "form poll")
		pollID := field(st, "poll", "id").(string)
		if field(st, "poll", "multiple") != true {
			t.Errorf("multiple = %v", field(st, "poll", "multiple"))
		}
		voted := obj(t, bob.Do(t, "POST", "/api/v1/polls/"+pollID+"/votes", jsonObj{"choices": []int{0, 2}}), 200, "two choices")
		if voted["votes_count"] != 2.0 || voted["voters_count"] != 1.0 {
			t.Errorf("votes, voters = %v, %v; want 2, 1", voted["votes_count"], voted["voters_count"])
		}
		if got := optionVotes(voted); got[0] != -1 || got[2] != -1 {
			t.Errorf("hidden totals shown to a voter: %v", got)
		}
		if got := optionVotes(obj(t, alice.Do(t, "GET", "/api/v1/polls/"+pollID, nil), 200, "author reads")); got[0] != 1 || got[1] != 0 || got[2] != 1 {
			t.Errorf("author's counts = %v; want [1 0 1]", got)
		}
		errorMessage(t, bob.Do(t, "POST", "/api/v1/polls/"+pollID+"/votes", jsonObj{"choices": []int{2}}), 422, "same option again")
		obj(t, bob.Do(t, "POST", "/api/v1/polls/"+pollID+"/votes", jsonObj{"choices": []int{1}}), 200, "another option later")
	})
}

func TestPollValidation(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		long := strings.Repeat("é", 51)
		for _, c := range []struct {
			poll jsonObj
			msg  string
		}{
			{jsonObj{"options": []string{"only"}, "expires_in": 600}, "Validation failed: Poll options must have more than one item"},
			{jsonObj{"options": []string{"a", "b", "c", "d", "e"}, "expires_in": 600}, "Validation failed: Poll options can't contain more than 4 items"},
			{jsonObj{"options": []string{"a", long}, "expires_in": 600}, "Validation failed: Poll options cannot be longer than 50 characters each"},
			{jsonObj{"options": []string{"a", "a"}, "expires_in": 600}, "Validation failed: Poll options contain duplicate items"},
			{jsonObj{"options": []string{"a", "b"}, "expires_in": 299}, "Validation failed: Poll expires at is too soon"},
			{jsonObj{"options": []string{"a", "b"}, "expires_in": 2629747}, "Validation failed: Poll expires at is too far into the future"},
			{jsonObj{"options": []string{"a", "b"}}, "Validation failed: Poll expires at can't be blank"},
		} {
			body := jsonObj{"status": "poll", "poll": c.poll}
			if msg := errorMessage(t, alice.Do(t, "POST", "/api/v1/statuses", body), 422, "bad poll"); msg != c.msg {
				t.Errorf("poll %v: %q; want %q", c.poll, msg, c.msg)
			}
		}
		if n := statusesCount(t, alice); n != 0 {
			t.Errorf("refused polls left %v statuses", n)
		}
		polls := field(obj(t, in.Do(t, "", "GET", "/api/v2/instance", nil), 200, "instance"), "configuration", "polls")
		if field(polls, "max_options") != 4.0 || field(polls, "max_characters_per_option") != 50.0 ||
			field(polls, "min_expiration") != 300.0 || field(polls, "max_expiration") != 2629746.0 {
			t.Errorf("instance polls = %v", polls)
		}
	})
}

func TestEditPollResetsVotes(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		st := post(t, alice, pollBody("q", "a", "b"))
		id, pollID := st["id"].(string), field(st, "poll", "id").(string)
		obj(t, bob.Do(t, "POST", "/api/v1/polls/"+pollID+"/votes", jsonObj{"choices": []int{0}}), 200, "vote")

		same := obj(t, alice.Do(t, "PUT", "/api/v1/statuses/"+id, pollBody("q, reworded", "a", "b")), 200, "edit keeping options")
		if field(same, "poll", "votes_count") != 1.0 {
			t.Errorf("votes after an edit keeping the options = %v; want 1", field(same, "poll", "votes_count"))
		}
		changed := obj(t, alice.Do(t, "PUT", "/api/v1/statuses/"+id, pollBody("q", "a", "b", "c")), 200, "edit changing options")
		if field(changed, "poll", "votes_count") != 0.0 || len(field(changed, "poll", "options").([]any)) != 3 {
			t.Errorf("poll after changing options = %v; want three options, no votes", changed["poll"])
		}
		if field(obj(t, bob.Do(t, "GET", "/api/v1/polls/"+pollID, nil), 200, "bob reads"), "voted") != false {
			t.Errorf("bob's vote survived the reset")
		}
		history := list(t, alice.Do(t, "GET", "/api/v1/statuses/"+id+"/history", nil), "history")
		if len(history) != 3 || len(field(history[0], "poll", "options").([]any)) != 2 || len(field(history[2], "poll", "options").([]any)) != 3 {
			t.Errorf("history polls = %v", history)
		}
		removed := obj(t, alice.Do(t, "PUT", "/api/v1/statuses/"+id, jsonObj{"status": "no poll now"}), 200, "edit removing the poll")
		if removed["poll"] != nil {
			t.Errorf("poll after removal = %v", removed["poll"])
		}
		errorMessage(t, bob.Do(t, "GET", "/api/v1/polls/"+pollID, nil), 404, "removed poll")
		errorMessage(t, alice.Do(t, "PUT", "/api/v1/statuses/"+id, jsonObj{"status": "x", "poll": jsonObj{"options": []string{"a"}, "expires_in": 600}}), 422, "edit to a bad poll")
	})
}

// startJobs works every queue until the test ends.
func startJobs(t *testing.T, in *servertest.Instance) {
	t.Helper()
	if err := in.StartJobs(context.Background()); err != nil {
		t.Fatalf("start jobs: %v", err)
	}
	t.Cleanup(func() { in.StopJobs(5 * time.Second) })
}

// scheduledJob finds the scheduled job of a kind whose arguments mention arg.
func scheduledJob(t *testing.T, in *servertest.Instance, kind, arg string) jobs.JobInfo {
	t.Helper()
	list, err := in.Jobs.Jobs(context.Background(), "", jobs.StateScheduled, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range list {
		if j.Kind == kind && strings.Contains(string(j.Args), `"`+arg+`"`) {
			return j
		}
	}
	t.Fatalf("no scheduled %s job for %s among %d", kind, arg, len(list))
	return jobs.JobInfo{}
}

// runNow makes a scheduled job due at once, as if its time had come, and waits for it.
func runNow(t *testing.T, in *servertest.Instance, job jobs.JobInfo) {
	t.Helper()
	ctx := context.Background()
	if err := in.Jobs.Retry(ctx, job.ID); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		done, err := in.Jobs.Jobs(ctx, "", jobs.StateCompleted, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range done {
			if j.ID == job.ID {
				return
			}
		}
	}
	t.Fatalf("job %d (%s) did not complete", job.ID, job.Kind)
}

// backdate moves a row's time column into the past, standing in for the passing of time.
func backdate(t *testing.T, in *servertest.Instance, table, column, id string) {
	t.Helper()
	past := time.Now().UTC().Add(-time.Second)
	if _, err := in.Store.DB().ExecContext(context.Background(), "UPDATE "+table+" SET "+column+" = $1 WHERE id = $2", past, id); err != nil {
		t.Fatal(err)
	}
}

func TestPollEnds(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		startJobs(t, in)
		alice, bob, carol := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol")
		st := post(t, alice, pollBody("ends", "a", "b"))
		id, pollID := st["id"].(string), field(st, "poll", "id").(string)
		obj(t, bob.Do(t, "POST", "/api/v1/polls/"+pollID+"/votes", jsonObj{"choices": []int{0}}), 200, "vote")
		job := scheduledJob(t, in, "close_poll", pollID)
		if exp, _ := time.Parse(time.RFC3339, field(st, "poll", "expires_at").(string)); job.ScheduledAt.Sub(exp).Abs() > time.Second {
			t.Errorf("close job at %v; want the poll's end %v", job.ScheduledAt, exp)
		}

		backdate(t, in, "polls", "expires_at", pollID)
		runNow(t, in, job)
		poll := obj(t, carol.Do(t, "GET", "/api/v1/polls/"+pollID, nil), 200, "ended poll")
		if poll["expired"] != true {
			t.Errorf("ended poll expired = %v", poll["expired"])
		}
		if msg := errorMessage(t, carol.Do(t, "POST", "/api/v1/polls/"+pollID+"/votes", jsonObj{"choices": []int{1}}), 422, "late vote"); msg != "Validation failed: The poll has already ended" {
			t.Errorf("late vote = %q", msg)
		}
		for _, m := range []*servertest.Member{alice, bob} {
			if types := notificationTypesOf(t, m, id); !hasType(types, "poll") {
				t.Errorf("%s notifications = %v; want poll", m.Account.Username, types)
			}
		}
		if types := notificationTypesOf(t, carol, id); len(types) != 0 {
			t.Errorf("carol, who did not vote, got %v", types)
		}
		// The job running again (a retry) announces nothing twice.
		runNow(t, in, job)
		n := 0
		for _, typ := range notificationTypesOf(t, bob, id) {
			if typ == "poll" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("bob has %d poll notifications; want 1", n)
		}
	})
}
