package console_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/console"
	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/server/servertest"
)

func TestQueueAPIAccess(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		admin := member(t, in, "boss", model.RoleAdmin)
		owner := member(t, in, "chief", model.RoleOwner)
		mod := member(t, in, "keeper", model.RoleModerator)
		plain := member(t, in, "plain", "")
		readOnly := in.Token(t, &admin.User.ID, "read", "admin:read")
		noAdminScope := in.Token(t, &admin.User.ID, "read", "write")
		appOnly := in.Token(t, nil, "admin:read")
		const base = "/api/v1/admin/tusk/queues"
		tests := []struct {
			name, token, method, path string
			want                      int
		}{
			{"anonymous", "", "GET", base, http.StatusUnauthorized},
			{"anonymous action", "", "POST", base + "/push/pause", http.StatusUnauthorized},
			{"member", plain.Token, "GET", base, http.StatusForbidden},
			{"moderator", mod.Token, "GET", base, http.StatusForbidden},
			{"moderator action", mod.Token, "POST", base + "/push/clear-dead", http.StatusForbidden},
			{"admin without admin scope", noAdminScope, "GET", base, http.StatusForbidden},
			{"admin:read cannot act", readOnly, "POST", base + "/push/clear-dead", http.StatusForbidden},
			{"app token", appOnly, "GET", base, http.StatusUnprocessableEntity},
			{"admin", admin.Token, "GET", base, http.StatusOK},
			{"admin:read reads", readOnly, "GET", base + "/history", http.StatusOK},
			{"owner", owner.Token, "GET", base + "/push/jobs", http.StatusOK},
			{"owner acts", owner.Token, "POST", base + "/push/clear-dead", http.StatusOK},
		}
		for _, tt := range tests {
			res := in.Do(t, tt.token, tt.method, tt.path, nil)
			if res.Status != tt.want {
				t.Errorf("%s: %s %s = %d %s; want %d", tt.name, tt.method, tt.path, res.Status, res.Body, tt.want)
			}
			if res.Status >= 400 && !strings.Contains(string(res.Body), `"error"`) {
				t.Errorf("%s: error body %s has no error field", tt.name, res.Body)
			}
		}
	})
}

func TestQueueAPINumbers(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		admin := member(t, in, "boss", model.RoleAdmin)
		for range 3 {
			enqueue(t, in, console.SampleArgs{}, &river.InsertOpts{Queue: jobs.Push})
		}
		enqueue(t, in, console.SampleArgs{}, &river.InsertOpts{Queue: jobs.Pull, ScheduledAt: time.Now().Add(time.Hour)})

		var stats []console.QueueJSON
		res := admin.Do(t, "GET", "/api/v1/admin/tusk/queues", nil)
		res.JSON(t, &stats)
		if len(stats) != len(jobs.Queues) {
			t.Fatalf("got %d queues; want %d", len(stats), len(jobs.Queues))
		}
		byName := map[string]console.QueueJSON{}
		for _, q := range stats {
			byName[q.Name] = q
		}
		if q := byName[jobs.Push]; q.Waiting != 3 || q.Depth != 3 || q.Dead != 0 || q.Running != 0 {
			t.Errorf("push = %+v; want 3 waiting", q)
		}
		if q := byName[jobs.Pull]; q.Scheduled != 1 || q.Waiting != 0 || q.Depth != 1 {
			t.Errorf("pull = %+v; want 1 scheduled", q)
		}

		var list []console.JobJSON
		admin.Do(t, "GET", "/api/v1/admin/tusk/queues/push/jobs?state=waiting", nil).JSON(t, &list)
		if len(list) != 3 || list[0].Kind != "sample_queues" || list[0].Queue != jobs.Push || list[0].State != "waiting" {
			t.Errorf("push waiting jobs = %+v", list)
		}
		if res := admin.Do(t, "GET", "/api/v1/admin/tusk/queues/nope/jobs", nil); res.Status != http.StatusNotFound {
			t.Errorf("unknown queue = %d %s; want 404", res.Status, res.Body)
		}
		if res := admin.Do(t, "GET", "/api/v1/admin/tusk/queues/push/jobs?state=lost", nil); res.Status != http.StatusUnprocessableEntity {
			t.Errorf("unknown state = %d %s; want 422", res.Status, res.Body)
		}
		for _, path := range []string{"/jobs/123456/retry", "/nope/pause"} {
			if res := admin.Do(t, "POST", "/api/v1/admin/tusk/queues"+path, nil); res.Status != http.StatusNotFound {
				t.Errorf("POST %s = %d %s; want 404", path, res.Status, res.Body)
			}
		}
		if res := admin.Do(t, "DELETE", "/api/v1/admin/tusk/queues/jobs/123456", nil); res.Status != http.StatusNotFound {
			t.Errorf("DELETE unknown job = %d %s; want 404", res.Status, res.Body)
		}
	})
}

func TestQueueAPIActions(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		ctx := context.Background()
		admin := member(t, in, "boss", model.RoleAdmin)
		startJobs(t, in)

		// A job that cannot run lands in the dead set, with the reason.
		enqueue(t, in, undecodable{1}, &river.InsertOpts{Queue: jobs.Push})
		waitFor(t, "a dead job", func() bool { return queueStats(t, in, jobs.Push).Dead == 1 })
		var push []console.QueueJSON
		admin.Do(t, "GET", "/api/v1/admin/tusk/queues", nil).JSON(t, &push)
		if push[1].Name != jobs.Push || push[1].Dead != 1 || push[1].FailedLastMinute != 1 || push[1].FailedLastHour != 1 {
			t.Errorf("push after a death = %+v; want 1 dead, 1 failed in the last minute and hour", push[1])
		}
		var dead []console.JobJSON
		admin.Do(t, "GET", "/api/v1/admin/tusk/queues/push/jobs?state=dead", nil).JSON(t, &dead)
		if len(dead) != 1 || len(dead[0].Errors) != 1 || !strings.Contains(dead[0].Errors[0], "undecodable") {
			t.Fatalf("dead jobs = %+v; want one with an undecodable-payload error", dead)
		}

		// Retrying runs it again: a second attempt, a second error.
		if res := admin.Do(t, "POST", "/api/v1/admin/tusk/queues/jobs/"+dead[0].ID+"/retry", nil); res.Status != http.StatusOK {
			t.Fatalf("retry = %d %s", res.Status, res.Body)
		}
		waitFor(t, "the retried job's second attempt", func() bool {
			d := jobsIn(t, in, jobs.Push, jobs.StateDead)
			return len(d) == 1 && len(d[0].Errors) == 2
		})

		// retry-dead and clear-dead work on the whole set.
		var n map[string]int
		admin.Do(t, "POST", "/api/v1/admin/tusk/queues/push/retry-dead", nil).JSON(t, &n)
		if n["retried"] != 1 {
			t.Errorf("retry-dead = %v; want 1 retried", n)
		}
		waitFor(t, "the third attempt", func() bool {
			d := jobsIn(t, in, jobs.Push, jobs.StateDead)
			return len(d) == 1 && len(d[0].Errors) == 3
		})
		admin.Do(t, "POST", "/api/v1/admin/tusk/queues/push/clear-dead", nil).JSON(t, &n)
		if n["deleted"] != 1 || queueStats(t, in, jobs.Push).Dead != 0 {
			t.Errorf("clear-dead = %v, dead left %d; want 1 deleted, none left", n, queueStats(t, in, jobs.Push).Dead)
		}

		// A paused queue keeps its jobs waiting; resumed, it works them.
		var q console.QueueJSON
		admin.Do(t, "POST", "/api/v1/admin/tusk/queues/default/pause", nil).JSON(t, &q)
		if !q.Paused {
			t.Fatalf("pause answered %+v", q)
		}
		// Workers without a database listener (both engines here) see a pause within
		// River's queue poll interval, two seconds.
		time.Sleep(2500 * time.Millisecond)
		enqueue(t, in, console.SampleArgs{}, &river.InsertOpts{Queue: jobs.Default})
		time.Sleep(1500 * time.Millisecond)
		if st := queueStats(t, in, jobs.Default); st.Waiting != 1 || !st.Paused {
			t.Fatalf("paused default = %+v; want its job still waiting", st)
		}
		admin.Do(t, "POST", "/api/v1/admin/tusk/queues/default/resume", nil).JSON(t, &q)
		if q.Paused {
			t.Fatalf("resume answered %+v", q)
		}
		waitFor(t, "the resumed queue's job", func() bool { return queueStats(t, in, jobs.Default).Waiting == 0 })

		// Delete removes a job that has not run; a second delete is a 404.
		enqueue(t, in, console.SampleArgs{}, &river.InsertOpts{Queue: jobs.Pull, ScheduledAt: time.Now().Add(time.Hour)})
		later := jobsIn(t, in, jobs.Pull, jobs.StateScheduled)
		if len(later) != 1 {
			t.Fatalf("scheduled pull jobs = %d; want 1", len(later))
		}
		path := "/api/v1/admin/tusk/queues/jobs/" + itoa(later[0].ID)
		if res := admin.Do(t, "DELETE", path, nil); res.Status != http.StatusOK {
			t.Fatalf("delete = %d %s", res.Status, res.Body)
		}
		if res := admin.Do(t, "DELETE", path, nil); res.Status != http.StatusNotFound {
			t.Errorf("second delete = %d %s; want 404", res.Status, res.Body)
		}
		if st := queueStats(t, in, jobs.Pull); st.Scheduled != 0 {
			t.Errorf("pull after delete = %+v", st)
		}
		_ = ctx
	})
}

func TestSamplingRunsOnTheScheduler(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		startJobs(t, in)
		// The periodic job runs once at start, then every minute.
		waitFor(t, "queue samples", func() bool {
			got, err := in.Store.QueueSamples(context.Background(), time.Now().Add(-time.Hour))
			return err == nil && len(got) == len(jobs.Queues)
		})
		waitFor(t, "a completed sample_queues job in the scheduler queue", func() bool {
			return hasKind(jobsIn(t, in, jobs.Scheduler, jobs.StateCompleted), "sample_queues")
		})
	})
}

func hasKind(list []console.JobInfo, kind string) bool {
	for _, j := range list {
		if j.Kind == kind {
			return true
		}
	}
	return false
}
