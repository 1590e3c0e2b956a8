package console

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/oauth"
)

// apiRoutes registers the admin JSON API. Callers need a user token with admin:read
// (GET) or admin:write (changes), and the user must be an Admin or the Owner.
func (s *Service) apiRoutes(mux *http.ServeMux) {
	const base = "/api/v1/admin/tusk/queues"
	mux.Handle("GET "+base, s.api("admin:read", s.apiStats))
	mux.Handle("GET "+base+"/history", s.api("admin:read", s.apiHistory))
	mux.Handle("GET "+base+"/{queue}/jobs", s.api("admin:read", s.apiJobs))
	mux.Handle("POST "+base+"/jobs/{id}/retry", s.api("admin:write", s.apiRetry))
	mux.Handle("DELETE "+base+"/jobs/{id}", s.api("admin:write", s.apiDelete))
	mux.Handle("POST "+base+"/{queue}/pause", s.api("admin:write", s.apiQueueAction(s.Pause)))
	mux.Handle("POST "+base+"/{queue}/resume", s.api("admin:write", s.apiQueueAction(s.Resume)))
	mux.Handle("POST "+base+"/{queue}/clear-dead", s.api("admin:write", s.apiCount("deleted", s.ClearDead)))
	mux.Handle("POST "+base+"/{queue}/retry-dead", s.api("admin:write", s.apiCount("retried", s.RetryDead)))
}

// errNotAdmin answers a valid token of someone who is not an admin.
var errNotAdmin = &httpx.Error{Code: http.StatusForbidden, Msg: "This action is allowed only to administrators"}

// api wraps h with the token, scope and role checks, and renders its errors.
func (s *Service) api(scope string, h httpx.Handler) http.Handler {
	return httpx.Serve(s.log(), func(w http.ResponseWriter, r *http.Request) error {
		a, err := oauth.RequireUser(r, scope)
		if err != nil {
			return err
		}
		if !IsAdmin(a.User) {
			return errNotAdmin
		}
		return apiError(h(w, r))
	})
}

// apiError turns the console's and the job service's errors into client errors.
func apiError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrUnknownQueue):
		return httpx.Errorf(http.StatusNotFound, "Unknown queue (queues: %v)", jobs.Queues)
	case errors.Is(err, ErrUnknownState):
		return httpx.Unprocessable("Unknown job state (states: %v)", States)
	case errors.Is(err, ErrQueueNotStarted):
		return httpx.Errorf(http.StatusConflict, "No process has worked this queue yet, so it cannot be paused or resumed")
	case errors.Is(err, jobs.ErrNotFound):
		return httpx.ErrNotFound
	}
	return err
}

// QueueJSON is one queue's numbers as the API and the CLI show them.
type QueueJSON struct {
	Name                 string  `json:"name"`
	Waiting              int64   `json:"waiting"`
	Running              int64   `json:"running"`
	Scheduled            int64   `json:"scheduled"`
	Retrying             int64   `json:"retrying"`
	Dead                 int64   `json:"dead"`
	Depth                int64   `json:"depth"`
	OldestWaitingSeconds float64 `json:"oldest_waiting_seconds"`
	DoneLastMinute       int64   `json:"done_last_minute"`
	DoneLastHour         int64   `json:"done_last_hour"`
	FailedLastMinute     int64   `json:"failed_last_minute"`
	FailedLastHour       int64   `json:"failed_last_hour"`
	Paused               bool    `json:"paused"`
	Concurrency          int     `json:"concurrency"`
}

// RenderQueue converts a queue's numbers for JSON.
func RenderQueue(q QueueStats) QueueJSON {
	return QueueJSON{Name: q.Name, Waiting: q.Waiting, Running: q.Running, Scheduled: q.Scheduled,
		Retrying: q.Retrying, Dead: q.Dead, Depth: Depth(q), OldestWaitingSeconds: q.OldestWaiting.Seconds(),
		DoneLastMinute: q.DoneLastMinute, DoneLastHour: q.DoneLastHour, FailedLastMinute: q.FailedLastMinute, FailedLastHour: q.FailedLastHour,
		Paused: q.Paused, Concurrency: q.Concurrency}
}

// JobJSON is one job as the API and the CLI show it; the id is a string, as Mastodon's are.
type JobJSON struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"`
	Queue       string    `json:"queue"`
	State       string    `json:"state"`
	Attempt     int       `json:"attempt"`
	MaxAttempts int       `json:"max_attempts"`
	Errors      []string  `json:"errors"`
	CreatedAt   time.Time `json:"created_at"`
	ScheduledAt time.Time `json:"scheduled_at"`
	Args        any       `json:"args"`
}

// RenderJob converts a job for JSON.
func RenderJob(j JobInfo) JobJSON {
	out := JobJSON{ID: strconv.FormatInt(j.ID, 10), Kind: j.Kind, Queue: j.Queue, State: j.State,
		Attempt: j.Attempt, MaxAttempts: j.MaxAttempts, Errors: j.Errors, CreatedAt: j.CreatedAt.UTC(),
		ScheduledAt: j.ScheduledAt.UTC(), Args: j.Args}
	if out.Errors == nil {
		out.Errors = []string{}
	}
	if len(j.Args) == 0 {
		out.Args = nil
	}
	return out
}

func (s *Service) apiStats(w http.ResponseWriter, r *http.Request) error {
	stats, err := s.Stats(r.Context())
	if err != nil {
		return err
	}
	out := make([]QueueJSON, 0, len(stats))
	for _, q := range stats {
		out = append(out, RenderQueue(q))
	}
	return httpx.OK(w, out)
}

func (s *Service) apiJobs(w http.ResponseWriter, r *http.Request) error {
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return httpx.BadRequest("limit must be a positive whole number")
		}
		limit = n
	}
	list, err := s.Jobs(r.Context(), r.PathValue("queue"), r.URL.Query().Get("state"), limit)
	if err != nil {
		return err
	}
	out := make([]JobJSON, 0, len(list))
	for _, j := range list {
		out = append(out, RenderJob(j))
	}
	return httpx.OK(w, out)
}

func jobID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, httpx.ErrNotFound
	}
	return id, nil
}

func (s *Service) apiRetry(w http.ResponseWriter, r *http.Request) error {
	id, err := jobID(r)
	if err != nil {
		return err
	}
	if err := s.Retry(r.Context(), id); err != nil {
		return err
	}
	return httpx.OK(w, map[string]any{"id": strconv.FormatInt(id, 10), "retried": true})
}

func (s *Service) apiDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := jobID(r)
	if err != nil {
		return err
	}
	if err := s.Delete(r.Context(), id); err != nil {
		return err
	}
	return httpx.OK(w, map[string]any{"id": strconv.FormatInt(id, 10), "deleted": true})
}

// apiQueueAction serves pause and resume, answering with the queue's new numbers.
func (s *Service) apiQueueAction(act func(ctx context.Context, queue string) error) httpx.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		queue := r.PathValue("queue")
		if err := act(r.Context(), queue); err != nil {
			return err
		}
		return s.writeQueue(w, r, queue)
	}
}

// apiCount serves the actions on a whole dead set, answering {key: how many}.
func (s *Service) apiCount(key string, act func(ctx context.Context, queue string) (int, error)) httpx.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		n, err := act(r.Context(), r.PathValue("queue"))
		if err != nil {
			return err
		}
		return httpx.OK(w, map[string]int{key: n})
	}
}

func (s *Service) writeQueue(w http.ResponseWriter, r *http.Request, queue string) error {
	stats, err := s.Stats(r.Context())
	if err != nil {
		return err
	}
	for _, q := range stats {
		if q.Name == queue {
			return httpx.OK(w, RenderQueue(q))
		}
	}
	return httpx.ErrNotFound
}

// historyJSON is the sampled history: one point per queue per minute.
type historyJSON struct {
	Since  time.Time          `json:"since"`
	Until  time.Time          `json:"until"`
	Queues []historyQueueJSON `json:"queues"`
}

type historyQueueJSON struct {
	Name   string      `json:"name"`
	Points []pointJSON `json:"points"`
}

type pointJSON struct {
	At        time.Time `json:"at"`
	Depth     int64     `json:"depth"`
	Running   int64     `json:"running"`
	Completed int64     `json:"completed"`
	Failed    int64     `json:"failed"`
}

func (s *Service) apiHistory(w http.ResponseWriter, r *http.Request) error {
	hours := 24
	if v := r.URL.Query().Get("hours"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 24 {
			return httpx.BadRequest("hours must be a whole number from 1 to 24")
		}
		hours = n
	}
	h, err := s.History(r.Context(), hours)
	if err != nil {
		return err
	}
	out := historyJSON{Since: h.Since, Until: h.Until, Queues: []historyQueueJSON{}}
	for _, q := range h.Queues {
		hq := historyQueueJSON{Name: q.Queue, Points: []pointJSON{}}
		for _, sm := range q.Samples {
			hq.Points = append(hq.Points, pointJSON{At: sm.Minute, Depth: sm.Depth, Running: sm.Running,
				Completed: sm.Completed, Failed: sm.Failed})
		}
		out.Queues = append(out.Queues, hq)
	}
	return httpx.OK(w, out)
}
