package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/console"
	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

// badSample has the sampling job's kind and a payload its worker cannot decode, so
// it dies at once, with the reason, every time it runs.
type badSample []int

func (badSample) Kind() string { return console.SampleArgs{}.Kind() }

type queuesCLI struct {
	t  *testing.T
	in *servertest.Instance
}

func (c queuesCLI) run(line string) (string, error) {
	var out bytes.Buffer
	err := Queues(context.Background(), QueueDeps{Console: c.in.Console, Out: &out}, strings.Fields(line))
	return out.String(), err
}

func (c queuesCLI) mustRun(line string) string {
	c.t.Helper()
	out, err := c.run(line)
	if err != nil {
		c.t.Fatalf("queues %s: %v\n%s", line, err, out)
	}
	return out
}

func (c queuesCLI) enqueue(args river.JobArgs, queue string) {
	c.t.Helper()
	if err := c.in.Jobs.Enqueue(context.Background(), c.in.Store.Writer(), args, &river.InsertOpts{Queue: queue}); err != nil {
		c.t.Fatal(err)
	}
}

func (c queuesCLI) dead(queue string) []jobs.JobInfo {
	c.t.Helper()
	list, err := c.in.Jobs.Jobs(context.Background(), queue, jobs.StateDead, 100)
	if err != nil {
		c.t.Fatal(err)
	}
	return list
}

func (c queuesCLI) waitDead(queue string, attempts int) jobs.JobInfo {
	c.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		if d := c.dead(queue); len(d) == 1 && len(d[0].Errors) == attempts {
			return d[0]
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("no dead job in %s after %d attempts", queue, attempts)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestQueuesCommands(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			c := queuesCLI{t: t, in: servertest.Start(t, engine, nil)}
			c.enqueue(console.SampleArgs{}, jobs.Pull)
			c.enqueue(console.SampleArgs{}, jobs.Pull)

			table := c.mustRun("")
			lines := strings.Split(strings.TrimSpace(table), "\n")
			if len(lines) != 1+len(jobs.Queues) || !strings.HasPrefix(lines[0], "QUEUE") {
				t.Fatalf("table:\n%s", table)
			}
			if f := strings.Fields(lines[4]); f[0] != "pull" || f[1] != "2" || f[len(f)-1] != "no" {
				t.Errorf("pull row = %q; want 2 waiting, not paused", lines[4])
			}
			var stats []console.QueueJSON
			if err := json.Unmarshal([]byte(c.mustRun("--json")), &stats); err != nil || len(stats) != len(jobs.Queues) || stats[3].Waiting != 2 {
				t.Errorf("--json = %+v, %v", stats, err)
			}

			if err := c.in.StartJobs(context.Background()); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { c.in.StopJobs(5 * time.Second) })
			c.enqueue(badSample{1}, jobs.Push)
			job := c.waitDead(jobs.Push, 1)
			id := strconv.FormatInt(job.ID, 10)

			out := c.mustRun("jobs --queue push --state dead")
			if !strings.Contains(out, id) || !strings.Contains(out, "sample_queues") || !strings.Contains(out, "error 1: ") ||
				!strings.Contains(out, "undecodable payload") {
				t.Errorf("jobs output:\n%s", out)
			}
			if out := c.mustRun("jobs"); !strings.Contains(out, id) {
				t.Errorf("jobs without flags should list dead jobs:\n%s", out)
			}

			if out := c.mustRun("retry " + id); out != "Job "+id+" will run again now.\n" {
				t.Errorf("retry = %q", out)
			}
			c.waitDead(jobs.Push, 2)
			if out := c.mustRun("retry --all-dead --queue push"); out != "Queued 1 dead job(s) in push to run again.\n" {
				t.Errorf("retry --all-dead = %q", out)
			}
			c.waitDead(jobs.Push, 3)
			if out := c.mustRun("clear-dead"); out != "Deleted 1 dead job(s) in every queue.\n" {
				t.Errorf("clear-dead = %q", out)
			}
			if out := c.mustRun("clear-dead --queue push"); out != "Deleted 0 dead job(s) in push.\n" {
				t.Errorf("clear-dead again = %q", out)
			}

			if out := c.mustRun("pause push"); !strings.HasPrefix(out, "Paused queue push") {
				t.Errorf("pause = %q", out)
			}
			if out := c.mustRun("pause push"); out != "Queue push is already paused.\n" {
				t.Errorf("pause again = %q", out)
			}
			if f := strings.Fields(strings.Split(c.mustRun(""), "\n")[2]); f[len(f)-1] != "yes" {
				t.Errorf("push row after pause = %v; want paused", f)
			}
			if out := c.mustRun("resume push"); out != "Resumed queue push.\n" {
				t.Errorf("resume = %q", out)
			}
			if out := c.mustRun("resume push"); out != "Queue push is not paused.\n" {
				t.Errorf("resume again = %q", out)
			}

			c.enqueue(console.SampleArgs{}, jobs.Pull)
			c.mustRun("pause pull")
			later := c.in.Jobs.Enqueue(context.Background(), c.in.Store.Writer(), console.SampleArgs{},
				&river.InsertOpts{Queue: jobs.Pull, ScheduledAt: time.Now().Add(time.Hour)})
			if later != nil {
				t.Fatal(later)
			}
			sched, _ := c.in.Jobs.Jobs(context.Background(), jobs.Pull, jobs.StateScheduled, 10)
			sid := strconv.FormatInt(sched[0].ID, 10)
			if out := c.mustRun("delete " + sid); out != "Deleted job "+sid+".\n" {
				t.Errorf("delete = %q", out)
			}

			for line, want := range map[string]string{
				"delete " + sid:        "no job with id " + sid,
				"retry 999999":         "no job with id 999999",
				"retry":                "missing job ID",
				"retry abc":            `"abc" is not a job id`,
				"retry 5 --all-dead":   "not both",
				"pause nope":           "unknown queue (queues: default, push",
				"pause":                "missing QUEUE",
				"clear-dead --queue x": "unknown queue",
				"jobs --state lost":    "unknown job state",
				"frobnicate":           `unknown command "frobnicate"`,
			} {
				if _, err := c.run(line); err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("queues %s: error %v; want one saying %q", line, err, want)
				}
			}
			if out := c.mustRun("help"); !strings.Contains(out, "clear-dead [--queue Q]") {
				t.Errorf("help = %q", out)
			}
		})
	}
}
