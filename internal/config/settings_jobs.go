package config

import (
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// JobQueues are the background queues, named as Mastodon's Sidekiq queues.
var JobQueues = []string{"default", "push", "ingress", "pull", "mailers", "scheduler"}

// JobsConfig holds the settings for background job queues.
type JobsConfig struct {
	// Concurrency is how many jobs of each queue one process works at once.
	Concurrency map[string]int
	// The process's roles (TUSK_ROLE): Web serves the client API, OAuth, pages and
	// media; Streaming serves the streaming API; Worker works queues.
	Web, Streaming, Worker bool
	// WorkerQueues limits the queues a worker works; empty means all of them.
	WorkerQueues []string
	// PollInterval is how often a worker looks for jobs inserted by other processes.
	PollInterval time.Duration
	// JobTimeout cancels a job's context after this long.
	JobTimeout time.Duration
	// RescueAfter makes a job found running this long (its process died) available again.
	RescueAfter time.Duration
	// RetryBase is the first retry's delay; each later one doubles it, with jitter.
	RetryBase time.Duration
	// MaxAttempts is the default attempt count before a job goes to the dead set.
	MaxAttempts int
	// Intervals of the periodic jobs.
	CleanTokensEvery time.Duration
}

// WorkedQueues lists the queues this process works: none unless it has the worker role.
func (j JobsConfig) WorkedQueues() []string {
	if !j.Worker {
		return nil
	}
	if len(j.WorkerQueues) == 0 {
		return JobQueues
	}
	return j.WorkerQueues
}

// DefaultQueueConcurrency derives each queue's concurrency from the CPU count. Jobs mostly
// wait on the network or the database rather than compute, so each queue gets several
// workers per core; push gets the most because deliveries to dead servers block until
// their time-out, and the rest must keep moving meanwhile (the founding memo's 8,000 jobs).
func DefaultQueueConcurrency(cpus int) map[string]int {
	cpus = max(cpus, 1)
	return map[string]int{
		"default":   5 * cpus,
		"push":      10 * cpus,
		"ingress":   5 * cpus,
		"pull":      2 * cpus,
		"mailers":   max(2, cpus),
		"scheduler": 2,
	}
}

// jobsSettings are the variables for background job queues.
var jobsSettings = []setting{
	{"TUSK_ROLE", "role", "all", "what this process does: all, web, streaming, worker, or a comma list (web,streaming)", func(c *Config, v string) (err error) {
		c.Jobs.Web, c.Jobs.Streaming, c.Jobs.Worker, err = parseRoles(v)
		return err
	}},
	{"TUSK_QUEUES", "queues-concurrency", "", "jobs worked at once per queue, e.g. default=20,push=20,pull=5; unset queues are derived from the CPU count (push 10 per core, default and ingress 5, pull 2, mailers 1 and at least 2, scheduler 2)", func(c *Config, v string) (err error) {
		c.Jobs.Concurrency, err = parseConcurrency(v, runtime.GOMAXPROCS(0))
		return err
	}},
	{"TUSK_WORKER_QUEUES", "queues", "", "queues a worker process works, e.g. push,pull; empty means all", func(c *Config, v string) (err error) {
		c.Jobs.WorkerQueues, err = parseQueueList(v)
		return err
	}},
	{"TUSK_JOBS_POLL_INTERVAL", "jobs-poll-interval", "100ms", "how often workers look for jobs inserted by other processes", func(c *Config, v string) (err error) {
		c.Jobs.PollInterval, err = parseDuration(v, time.Millisecond, time.Minute)
		return err
	}},
	{"TUSK_JOB_TIMEOUT", "job-timeout", "5m", "a job running longer than this is cancelled and retried", func(c *Config, v string) (err error) {
		c.Jobs.JobTimeout, err = parseDuration(v, time.Second, 24*time.Hour)
		return err
	}},
	{"TUSK_JOB_RESCUE_AFTER", "job-rescue-after", "", "a job still marked running after this long (its process died) runs again; default: job timeout plus one minute", func(c *Config, v string) (err error) {
		if v == "" {
			return nil
		}
		c.Jobs.RescueAfter, err = parseDuration(v, time.Second, 48*time.Hour)
		return err
	}},
	{"TUSK_JOB_RETRY_BASE", "job-retry-base", "15s", "delay before a failed job's first retry; each later retry doubles it, with jitter, up to a day", func(c *Config, v string) (err error) {
		c.Jobs.RetryBase, err = parseDuration(v, time.Millisecond, time.Hour)
		return err
	}},
	{"TUSK_JOB_MAX_ATTEMPTS", "job-max-attempts", "25", "attempts before a job goes to the dead set, unless its kind sets its own", func(c *Config, v string) (err error) {
		c.Jobs.MaxAttempts, err = parseInt(v, 1, 1000)
		return err
	}},
	{"TUSK_SCHEDULE_CLEAN_TOKENS", "schedule-clean-tokens", "1h", "interval of the periodic job deleting expired and revoked OAuth tokens and expired authorization codes", func(c *Config, v string) (err error) {
		c.Jobs.CleanTokensEvery, err = parseDuration(v, time.Second, 7*24*time.Hour)
		return err
	}},
}

// deriveJobs fills the job settings that depend on others.
func deriveJobs(c *Config) error {
	if c.Jobs.RescueAfter == 0 {
		c.Jobs.RescueAfter = c.Jobs.JobTimeout + time.Minute
	}
	if c.Jobs.RescueAfter < c.Jobs.JobTimeout {
		return fmt.Errorf("TUSK_JOB_RESCUE_AFTER: %s is shorter than TUSK_JOB_TIMEOUT (%s): running jobs would be run twice", c.Jobs.RescueAfter, c.Jobs.JobTimeout)
	}
	return nil
}

func parseRoles(v string) (web, streaming, worker bool, err error) {
	for _, r := range strings.Split(v, ",") {
		switch strings.TrimSpace(r) {
		case "all":
			web, streaming, worker = true, true, true
		case "web":
			web = true
		case "streaming":
			streaming = true
		case "worker":
			worker = true
		default:
			return false, false, false, fmt.Errorf("%q is not a role (want all, web, streaming, worker, or a comma list of them)", r)
		}
	}
	return web, streaming, worker, nil
}

// Roles names the roles a process has, for its log line.
func (j JobsConfig) Roles() []string {
	var out []string
	for _, r := range []struct {
		on   bool
		name string
	}{{j.Web, "web"}, {j.Streaming, "streaming"}, {j.Worker, "worker"}} {
		if r.on {
			out = append(out, r.name)
		}
	}
	return out
}

func parseConcurrency(v string, cpus int) (map[string]int, error) {
	out := DefaultQueueConcurrency(cpus)
	if strings.TrimSpace(v) == "" {
		return out, nil
	}
	for _, pair := range strings.Split(v, ",") {
		name, num, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if !ok {
			return nil, fmt.Errorf("%q is not queue=number", pair)
		}
		if err := checkQueue(name); err != nil {
			return nil, err
		}
		n, err := strconv.Atoi(num)
		if err != nil || n < 1 || n > 10000 {
			return nil, fmt.Errorf("queue %s: %q is not a whole number from 1 to 10000", name, num)
		}
		out[name] = n
	}
	return out, nil
}

func parseQueueList(v string) ([]string, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	var out []string
	for _, name := range strings.Split(v, ",") {
		name = strings.TrimSpace(name)
		if err := checkQueue(name); err != nil {
			return nil, err
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out, nil
}

func checkQueue(name string) error {
	if !slices.Contains(JobQueues, name) {
		return fmt.Errorf("unknown queue %q (queues: %s)", name, strings.Join(JobQueues, ", "))
	}
	return nil
}

func parseDuration(v string, lo, hi time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d < lo || d > hi {
		return 0, fmt.Errorf("%q is not a duration from %s to %s (e.g. 30s, 5m, 1h)", v, lo, hi)
	}
	return d, nil
}
