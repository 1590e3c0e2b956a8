package metrics_test

import (
	"context"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/console"
	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

const token = "scrape-token-0123456789"

func scrape(t *testing.T, in *servertest.Instance, header ...string) *servertest.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, in.URL+"/metrics", nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return in.Send(t, req)
}

func TestMetricsAccess(t *testing.T) {
	t.Parallel()
	loopback := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	elsewhere := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	tests := []struct {
		name   string
		allow  []netip.Prefix
		token  string
		header []string
		want   int
	}{
		{"not configured", nil, "", nil, http.StatusNotFound},
		{"not configured, any token", nil, "", []string{"Authorization", "Bearer " + token}, http.StatusNotFound},
		{"allowed network", loopback, "", nil, http.StatusOK},
		{"other network", elsewhere, "", nil, http.StatusForbidden},
		{"allowed network through a proxy", loopback, "", []string{"X-Forwarded-For", "203.0.113.9"}, http.StatusForbidden},
		{"token", elsewhere, token, []string{"Authorization", "Bearer " + token}, http.StatusOK},
		{"token through a proxy", nil, token, []string{"Authorization", "Bearer " + token, "X-Forwarded-For", "203.0.113.9"}, http.StatusOK},
		{"wrong token", nil, token, []string{"Authorization", "Bearer " + token + "x"}, http.StatusForbidden},
		{"no token", nil, token, nil, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := servertest.Start(t, store.SQLite, func(c *config.Config) {
				c.Admin.MetricsAllow, c.Admin.MetricsToken = tt.allow, tt.token
			})
			if res := scrape(t, in, tt.header...); res.Status != tt.want {
				t.Errorf("GET /metrics = %d %s; want %d", res.Status, res.Body, tt.want)
			}
		})
	}
}

func TestMetricsContent(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			in := servertest.Start(t, engine, func(c *config.Config) { c.Admin.MetricsToken = token })
			ctx := context.Background()
			for range 3 {
				if err := in.Jobs.Enqueue(ctx, in.Store.Writer(), console.SampleArgs{}, &river.InsertOpts{Queue: jobs.Push}); err != nil {
					t.Fatal(err)
				}
			}
			in.Do(t, "", "GET", "/api/v1/instance", nil)
			body := string(scrape(t, in, "Authorization", "Bearer "+token).Body)
			for _, want := range []string{
				`tusk_queue_jobs{queue="push",state="waiting"} 3`,
				`tusk_queue_jobs{queue="push",state="dead"} 0`,
				`tusk_queue_depth{queue="push"} 3`,
				`tusk_queue_depth{queue="pull"} 0`,
				`tusk_queue_paused{queue="push"} 0`,
				`tusk_queue_stats_up 1`,
				`tusk_http_request_duration_seconds_count{code="200",route="GET /api/v1/instance"} 1`,
				`go_goroutines`,
				`go_sql_max_open_connections{db_name="tusk"}`,
			} {
				if !strings.Contains(body, want) {
					t.Errorf("metrics lack %q", want)
				}
			}

			// Worked jobs feed the counters and the latency histogram.
			if err := in.StartJobs(ctx); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { in.StopJobs(5 * time.Second) })
			deadline := time.Now().Add(15 * time.Second)
			for {
				body = string(scrape(t, in, "Authorization", "Bearer "+token).Body)
				if strings.Contains(body, `tusk_jobs_processed_total{kind="sample_queues",queue="push"} 3`) {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("push jobs never counted as processed:\n%s", grep(body, "tusk_jobs"))
				}
				time.Sleep(100 * time.Millisecond)
			}
			for _, want := range []string{`tusk_job_latency_seconds_count{queue="push"} 3`, `tusk_queue_depth{queue="push"} 0`} {
				if !strings.Contains(body, want) {
					t.Errorf("metrics lack %q:\n%s", want, grep(body, "push"))
				}
			}
		})
	}
}

func grep(body, word string) string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if strings.Contains(l, word) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
