package mastoapi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/server/servertest"
)

func inMinutes(n int) string {
	return time.Now().UTC().Add(time.Duration(n) * time.Minute).Format(time.RFC3339)
}

func TestScheduleStatus(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		parent := say(t, bob, "parent")
		at := inMinutes(60)
		sched := post(t, alice, jsonObj{"status": "later", "scheduled_at": at, "visibility": "unlisted", "spoiler_text": "cw",
			"in_reply_to_id": parent, "poll": jsonObj{"options": []string{"a", "b"}, "expires_in": 300}})
		conforms(t, "ScheduledStatus", sched)
		id := sched["id"].(string)
		if got, _ := time.Parse(time.RFC3339, sched["scheduled_at"].(string)); got.Format(time.RFC3339) != at {
			t.Errorf("scheduled_at = %v; want %s", sched["scheduled_at"], at)
		}
		p := sched["params"]
		if field(p, "text") != "later" || field(p, "visibility") != "unlisted" || field(p, "sensitive") != true ||
			field(p, "spoiler_text") != "cw" || field(p, "poll", "expires_in") != 300.0 {
			t.Errorf("params = %v", p)
		}
		if n := statusesCount(t, alice); n != 0 {
			t.Errorf("scheduling posted a status: statuses_count %v", n)
		}

		listed := list(t, alice.Do(t, "GET", "/api/v1/scheduled_statuses", nil), "scheduled statuses")
		conformsAll(t, "ScheduledStatus", listed)
		sameIDs(t, "scheduled statuses", ids(listed), []string{id})
		obj(t, alice.Do(t, "GET", "/api/v1/scheduled_statuses/"+id, nil), 200, "one scheduled status")
		if got := list(t, bob.Do(t, "GET", "/api/v1/scheduled_statuses", nil), "bob's"); len(got) != 0 {
			t.Errorf("bob sees %d scheduled statuses", len(got))
		}
		errorMessage(t, bob.Do(t, "GET", "/api/v1/scheduled_statuses/"+id, nil), 404, "another's scheduled status")
		errorMessage(t, bob.Do(t, "PUT", "/api/v1/scheduled_statuses/"+id, jsonObj{"scheduled_at": inMinutes(90)}), 404, "reschedule another's")
		errorMessage(t, bob.Do(t, "DELETE", "/api/v1/scheduled_statuses/"+id, nil), 404, "cancel another's")

		later := inMinutes(120)
		moved := obj(t, alice.Do(t, "PUT", "/api/v1/scheduled_statuses/"+id, jsonObj{"scheduled_at": later}), 200, "reschedule")
		if got, _ := time.Parse(time.RFC3339, moved["scheduled_at"].(string)); got.Format(time.RFC3339) != later {
			t.Errorf("rescheduled to %v; want %s", moved["scheduled_at"], later)
		}
		errorMessage(t, alice.Do(t, "PUT", "/api/v1/scheduled_statuses/"+id, jsonObj{"scheduled_at": inMinutes(2)}), 422, "reschedule too soon")
		errorMessage(t, alice.Do(t, "PUT", "/api/v1/scheduled_statuses/"+id, jsonObj{"scheduled_at": "tomorrow"}), 422, "reschedule to garbage")

		obj(t, alice.Do(t, "DELETE", "/api/v1/scheduled_statuses/"+id, nil), 200, "cancel")
		errorMessage(t, alice.Do(t, "GET", "/api/v1/scheduled_statuses/"+id, nil), 404, "cancelled")
		errorMessage(t, alice.Do(t, "DELETE", "/api/v1/scheduled_statuses/"+id, nil), 404, "cancel twice")
		want(t, in.Do(t, "", "GET", "/api/v1/scheduled_statuses", nil), 401, "anonymous list")
	})
}

func TestScheduleRefusals(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		if msg := errorMessage(t, alice.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "soon", "scheduled_at": inMinutes(4)}), 422, "too soon"); msg != "Validation failed: Scheduled at date must be in the future" {
			t.Errorf("too soon = %q", msg)
		}
		errorMessage(t, alice.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "x", "scheduled_at": "next week"}), 422, "garbage time")
		errorMessage(t, alice.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "", "scheduled_at": inMinutes(60)}), 422, "blank scheduled")
		errorMessage(t, alice.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": strings.Repeat("x", 501), "scheduled_at": inMinutes(60)}), 422, "long scheduled")
		errorMessage(t, alice.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "x", "scheduled_at": inMinutes(60),
			"poll": jsonObj{"options": []string{"a"}, "expires_in": 300}}), 422, "scheduled bad poll")
		day := time.Now().UTC().Add(48 * time.Hour).Truncate(24 * time.Hour).Add(time.Hour)
		for i := 0; i < 25; i++ {
			post(t, alice, jsonObj{"status": "many", "scheduled_at": day.Add(time.Duration(i) * time.Minute).Format(time.RFC3339)})
		}
		if msg := errorMessage(t, alice.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "one too many", "scheduled_at": day.Add(time.Hour).Format(time.RFC3339)}), 422, "26th on a day"); msg != "Validation failed: You have exceeded the limit of 25 scheduled posts for today" {
			t.Errorf("26th = %q", msg)
		}
		post(t, alice, jsonObj{"status": "next day", "scheduled_at": day.Add(24 * time.Hour).Format(time.RFC3339)})
		r := alice.Do(t, "GET", "/api/v1/scheduled_statuses?limit=10", nil)
		if got := list(t, r, "first page"); len(got) != 10 || link(t, in, r, "next") == "" {
			t.Errorf("first page = %d entries, next link %q", len(got), link(t, in, r, "next"))
		}
	})
}

func TestScheduledStatusPublishes(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		startJobs(t, in)
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		follow(t, bob, alice)
		sched := post(t, alice, jsonObj{"status": "from the past @bob", "scheduled_at": inMinutes(30),
			"poll": jsonObj{"options": []string{"yes", "no"}, "expires_in": 3600}})
		id := sched["id"].(string)
		job := scheduledJob(t, in, "publish_scheduled_status", id)

		runNow(t, in, job) // not yet due: the job leaves it
		obj(t, alice.Do(t, "GET", "/api/v1/scheduled_statuses/"+id, nil), 200, "still scheduled")

		backdate(t, in, "scheduled_statuses", "scheduled_at", id)
		runNow(t, in, job)
		errorMessage(t, alice.Do(t, "GET", "/api/v1/scheduled_statuses/"+id, nil), 404, "published, so no longer scheduled")
		home := list(t, bob.Do(t, "GET", "/api/v1/timelines/home", nil), "bob's home")
		if len(home) != 1 || !strings.Contains(home[0]["content"].(string), "from the past") {
			t.Fatalf("bob's home = %v; want the published status", ids(home))
		}
		st := home[0]
		if field(st, "application", "name") != "servertest" || field(st, "poll", "options") == nil {
			t.Errorf("published status application, poll = %v, %v", st["application"], st["poll"])
		}
		if types := notificationTypesOf(t, bob, st["id"].(string)); !hasType(types, "mention") {
			t.Errorf("bob's notifications of the published status = %v; want a mention", types)
		}
		scheduledJob(t, in, "close_poll", field(st, "poll", "id").(string))
	})
}

// TestScheduledStatusWithMedia: the media are reserved while scheduled (shown, kept from
// other posts and from the cleanup of unattached media), attached when the status is
// published, and freed when the schedule is cancelled.
func TestScheduledStatusWithMedia(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		startJobs(t, in)
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		newMedia := func() string {
			m := obj(t, uploadFile(t, in, alice, "/api/v1/media", upload{pngOf(t, 40, 30), "p.png", "image/png"}, nil), 200, "upload")
			return m["id"].(string)
		}
		first, second := newMedia(), newMedia()
		sched := post(t, alice, jsonObj{"status": "photos later", "scheduled_at": inMinutes(30), "media_ids": []string{first, second}})
		var got []string
		for _, m := range sched["media_attachments"].([]any) {
			got = append(got, m.(map[string]any)["id"].(string))
		}
		if len(got) != 2 || got[0] != first || got[1] != second {
			t.Errorf("scheduled media = %v; want %s, %s", got, first, second)
		}
		errorMessage(t, alice.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "now", "media_ids": []string{first}}), 422, "post reserved media")
		errorMessage(t, alice.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "also later", "scheduled_at": inMinutes(40),
			"media_ids": []string{second}}), 422, "schedule reserved media")
		errorMessage(t, bob.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "mine?", "scheduled_at": inMinutes(30),
			"media_ids": []string{newMedia()}}), 422, "schedule another's media")
		if removed, err := in.Social.RemoveStaleMedia(context.Background(), time.Now().Add(48*time.Hour)); err != nil || removed != 1 {
			t.Errorf("RemoveStaleMedia = %d, %v; want only the unreserved upload removed", removed, err)
		}

		id := sched["id"].(string)
		backdate(t, in, "scheduled_statuses", "scheduled_at", id)
		runNow(t, in, scheduledJob(t, in, "publish_scheduled_status", id))
		statuses := list(t, alice.Do(t, "GET", "/api/v1/accounts/"+idOf(alice.Account.ID)+"/statuses", nil), "alice's statuses")
		if len(statuses) != 1 || len(statuses[0]["media_attachments"].([]any)) != 2 {
			t.Fatalf("published = %v; want one status with both photos", statuses)
		}

		third := newMedia()
		again := post(t, alice, jsonObj{"status": "cancelled later", "scheduled_at": inMinutes(30), "media_ids": []string{third}})
		obj(t, alice.Do(t, "DELETE", "/api/v1/scheduled_statuses/"+again["id"].(string), nil), 200, "cancel")
		obj(t, alice.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "posted now", "media_ids": []string{third}}), 200, "post freed media")
	})
}
