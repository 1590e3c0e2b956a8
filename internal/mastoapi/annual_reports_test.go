package mastoapi_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/server/servertest"
)

// atDay sets the instance's clock to a day of this year, keeping real time of day.
func atDay(in *servertest.Instance, month time.Month, day int) {
	now := time.Now().UTC()
	at := time.Date(now.Year(), month, day, 12, 0, 0, 0, time.UTC)
	in.Social.Now = func() time.Time { return at }
}

func TestAnnualReports(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		year := strconv.Itoa(time.Now().UTC().Year())
		base := "/api/v1/annual_reports/" + year
		alice, bob, carol := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol")
		say(t, alice, "one #tusk")
		second := say(t, alice, "two #tusk #go")
		bobs := say(t, bob, "hello")
		post(t, alice, jsonObj{"status": "@bob hi", "in_reply_to_id": bobs})
		follow(t, bob, alice)
		obj(t, bob.Do(t, "POST", "/api/v1/statuses/"+second+"/reblog", nil), 200, "boost")

		state := func(m *servertest.Member) string {
			return obj(t, m.Do(t, "GET", base+"/state", nil), 200, "state")["state"].(string)
		}
		atDay(in, time.November, 20)
		if s := state(alice); s != "ineligible" {
			t.Errorf("state before December 10th = %s; want ineligible", s)
		}
		want(t, alice.Do(t, "POST", base+"/generate", nil), 200, "generate outside the campaign")
		atDay(in, time.December, 15)
		if s := state(carol); s != "ineligible" {
			t.Errorf("state without statuses = %s; want ineligible", s)
		}
		if s := state(alice); s != "eligible" {
			t.Fatalf("state = %s; want eligible", s)
		}
		want(t, alice.Do(t, "GET", base, nil), 404, "report before generation")
		want(t, alice.Do(t, "POST", base+"/read", nil), 404, "read before generation")

		want(t, alice.Do(t, "POST", base+"/generate", nil), 202, "generate")
		if s := state(alice); s != "generating" {
			t.Errorf("state after generate = %s; want generating", s)
		}
		want(t, alice.Do(t, "POST", base+"/generate", nil), 202, "generate while generating")
		if err := in.StartJobs(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { in.StopJobs(5 * time.Second) })
		for deadline := time.Now().Add(20 * time.Second); state(alice) != "available"; time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the report was never generated")
			}
		}
		want(t, alice.Do(t, "POST", base+"/generate", nil), 200, "generate when available")

		wrapped := obj(t, alice.Do(t, "GET", base, nil), 200, "report")
		reports := wrapped["annual_reports"].([]any)
		if len(reports) != 1 {
			t.Fatalf("reports = %v", reports)
		}
		r := reports[0].(map[string]any)
		if r["year"] != float64(time.Now().UTC().Year()) || r["schema_version"] != 2.0 || r["account_id"] != idOf(alice.Account.ID) || r["share_url"] != nil {
			t.Errorf("report = %v", r)
		}
		data := r["data"].(map[string]any)
		series := data["time_series"].([]any)
		month := series[int(time.Now().UTC().Month())-1].(map[string]any)
		if len(series) != 12 || month["statuses"] != 3.0 || month["followers"] != 1.0 {
			t.Errorf("time_series = %v; want 12 months, this one with 3 statuses and 1 follower", series)
		}
		tags := data["top_hashtags"].([]any)
		if len(tags) != 1 || tags[0].(map[string]any)["name"] != "tusk" || tags[0].(map[string]any)["count"] != 2.0 {
			t.Errorf("top_hashtags = %v; want tusk twice", tags)
		}
		if got := field(data, "top_statuses", "by_reblogs"); got != second {
			t.Errorf("top_statuses.by_reblogs = %v; want %s", got, second)
		}
		if data["archetype"] != "lurker" {
			t.Errorf("archetype = %v; want lurker for 3 statuses", data["archetype"])
		}
		statuses := wrapped["statuses"].([]any)
		if len(statuses) != 1 || statuses[0].(map[string]any)["id"] != second {
			t.Errorf("statuses = %v; want the most boosted one", statuses)
		}
		conformsAll(t, "Status", toObjs(statuses))
		conformsAll(t, "Account", toObjs(wrapped["accounts"].([]any)))
		all := obj(t, alice.Do(t, "GET", "/api/v1/annual_reports", nil), 200, "all reports")
		if n := len(all["annual_reports"].([]any)); n != 1 {
			t.Errorf("index has %d reports; want 1", n)
		}

		obj(t, alice.Do(t, "POST", base+"/read", nil), 200, "read")
		want(t, bob.Do(t, "GET", base, nil), 404, "another member's report")
		want(t, bob.Do(t, "POST", base+"/read", nil), 404, "reading another member's report")
		if n := len(obj(t, bob.Do(t, "GET", "/api/v1/annual_reports", nil), 200, "bob's reports")["annual_reports"].([]any)); n != 0 {
			t.Errorf("bob sees %d reports", n)
		}
		want(t, alice.Do(t, "GET", "/api/v1/annual_reports/abc", nil), 404, "bad year")
		want(t, in.Do(t, in.Token(t, &alice.User.ID, "read:statuses"), "GET", "/api/v1/annual_reports", nil), 403, "without read:accounts")
		want(t, in.Do(t, in.Token(t, &alice.User.ID, "read"), "POST", base+"/generate", nil), 403, "generate without write")
		want(t, in.Do(t, "", "GET", "/api/v1/annual_reports", nil), 401, "anonymous")
	})
}

func toObjs(l []any) jsonList {
	out := make(jsonList, len(l))
	for i, v := range l {
		out[i] = v.(map[string]any)
	}
	return out
}
