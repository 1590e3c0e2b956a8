package config

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestJobSettings(t *testing.T) {
	c, err := load(t, []string{"--queues-concurrency", "default=3,push=7"}, map[string]string{
		"TUSK_ROLE": "web,worker", "TUSK_WORKER_QUEUES": "push, pull", "TUSK_JOB_TIMEOUT": "2m"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Jobs.Concurrency["default"] != 3 || c.Jobs.Concurrency["push"] != 7 || c.Jobs.Concurrency["mailers"] < 2 {
		t.Errorf("Concurrency = %v; want default=3, push=7, the rest derived", c.Jobs.Concurrency)
	}
	if !c.Jobs.Web || !c.Jobs.Worker || !slices.Equal(c.Jobs.WorkedQueues(), []string{"push", "pull"}) {
		t.Errorf("roles = web %t, worker %t, queues %v", c.Jobs.Web, c.Jobs.Worker, c.Jobs.WorkedQueues())
	}
	if c.Jobs.RescueAfter != 3*time.Minute {
		t.Errorf("RescueAfter = %s; want the job timeout plus a minute", c.Jobs.RescueAfter)
	}
}

func TestJobRoles(t *testing.T) {
	for _, tc := range []struct {
		role                   string
		web, streaming, worker bool
	}{{"all", true, true, true}, {"web", true, false, false}, {"worker", false, false, true},
		{"streaming", false, true, false}, {"worker,web", true, false, true}, {"web, streaming", true, true, false}} {
		c, err := load(t, nil, map[string]string{"TUSK_ROLE": tc.role})
		if err != nil || c.Jobs.Web != tc.web || c.Jobs.Streaming != tc.streaming || c.Jobs.Worker != tc.worker {
			t.Errorf("TUSK_ROLE=%s: web %t, streaming %t, worker %t, %v; want %t, %t, %t", tc.role,
				c.Jobs.Web, c.Jobs.Streaming, c.Jobs.Worker, err, tc.web, tc.streaming, tc.worker)
		}
	}
	if _, err := load(t, nil, map[string]string{"TUSK_ROLE": "web,sidekiq"}); err == nil || !strings.Contains(err.Error(), "sidekiq") {
		t.Errorf("TUSK_ROLE=web,sidekiq: err = %v; want one naming the unknown role", err)
	}
	if c, _ := load(t, nil, map[string]string{"TUSK_ROLE": "web"}); c.Jobs.WorkedQueues() != nil {
		t.Errorf("a web-only process works %v; want none", c.Jobs.WorkedQueues())
	}
}

func TestBadJobSettingsStopStartup(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want []string // all must appear in the error
	}{
		{map[string]string{"TUSK_QUEUES": "default=5,bogus=3"}, []string{"TUSK_QUEUES", `"bogus"`, "push"}},
		{map[string]string{"TUSK_QUEUES": "push=lots"}, []string{"TUSK_QUEUES", "lots"}},
		{map[string]string{"TUSK_QUEUES": "push"}, []string{"TUSK_QUEUES", "queue=number"}},
		{map[string]string{"TUSK_QUEUES": "push=0"}, []string{"TUSK_QUEUES"}},
		{map[string]string{"TUSK_WORKER_QUEUES": "push,mail"}, []string{"TUSK_WORKER_QUEUES", `"mail"`}},
		{map[string]string{"TUSK_ROLE": "janitor"}, []string{"TUSK_ROLE", "janitor"}},
		{map[string]string{"TUSK_JOB_TIMEOUT": "soon"}, []string{"TUSK_JOB_TIMEOUT"}},
		{map[string]string{"TUSK_JOB_TIMEOUT": "10m", "TUSK_JOB_RESCUE_AFTER": "1m"}, []string{"TUSK_JOB_RESCUE_AFTER", "shorter"}},
	} {
		_, err := load(t, nil, tc.env)
		for _, w := range tc.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("Load(%v) = %v; want an error mentioning %s", tc.env, err, w)
			}
		}
	}
}

func TestDefaultQueueConcurrencyFollowsCPUs(t *testing.T) {
	two, eight := DefaultQueueConcurrency(2), DefaultQueueConcurrency(8)
	if two["push"] != 20 || eight["push"] != 80 || two["default"] != 10 || two["scheduler"] != 2 {
		t.Errorf("defaults = %v (2 cores), %v (8 cores)", two, eight)
	}
}
