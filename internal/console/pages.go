package console

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/websession"
)

//go:embed templates/queues.html
var templateFiles embed.FS

// pages is parsed once and only read afterwards.
var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"age":  FormatAge,
	"when": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05") },
}).ParseFS(templateFiles, "templates/queues.html"))

// PagePath is the queue console's web page.
const PagePath = "/admin/queues"

// Routes registers the admin JSON API and the web page with its form actions.
func (s *Service) Routes(mux *http.ServeMux) {
	s.apiRoutes(mux)
	mux.Handle("GET "+PagePath, s.adminPage(s.queuesPage))
	mux.Handle("POST "+PagePath+"/{queue}/{action}", s.adminForm(s.queueForm))
	mux.Handle("POST "+PagePath+"/jobs/{id}/{action}", s.adminForm(s.jobForm))
	if s.Delivery != nil {
		s.federationRoutes(mux)
	}
}

// adminPage lets signed-in admins through; anonymous visitors are sent to sign in,
// other members get 403.
func (s *Service) adminPage(h http.HandlerFunc) http.Handler {
	return s.Sessions.Require(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, _ := websession.Current(r); !IsAdmin(u) {
			s.renderError(w, http.StatusForbidden, "This page is only for the server's administrators.")
			return
		}
		h(w, r)
	}))
}

// adminForm is adminPage for POSTed forms, which must also pass the CSRF checks.
func (s *Service) adminForm(h http.HandlerFunc) http.Handler {
	return s.Sessions.ProtectForm(s.adminPage(h))
}

type pageData struct {
	Site, User, CSRF string
	Queues           []queueRow
	Jobs             []JobInfo
	Queue, State     string
	States           []string
	Charts           []queueChart
	MailConfigured   bool
	Notice, Alert    string
	Generated        time.Time
}

type queueRow struct {
	QueueStats
	Depth int64
}

func (s *Service) queuesPage(w http.ResponseWriter, r *http.Request) {
	ctx, q := r.Context(), r.URL.Query()
	d := pageData{Queue: q.Get("queue"), State: q.Get("state"), States: States,
		MailConfigured: s.Config.Mail.Configured(), Generated: now()}
	if err := errors.Join(CheckQueue(d.Queue), CheckState(d.State)); err != nil {
		d.Alert, d.Queue, d.State = "There is no such queue or job state; showing all failed jobs.", "", ""
	}
	stats, err := s.Stats(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, st := range stats {
		d.Queues = append(d.Queues, queueRow{QueueStats: st, Depth: Depth(st)})
	}
	if d.Jobs, err = s.Jobs(ctx, d.Queue, d.State, 50); err != nil {
		s.fail(w, r, err)
		return
	}
	h, err := s.History(ctx, 24)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Charts = buildCharts(h)
	d.Notice = notice(q)
	if d.Alert == "" {
		d.Alert = alerts[q.Get("error")]
	}
	_, acc := websession.Current(r)
	d.User, d.CSRF = acc.Username, s.Sessions.FormToken(w, r)
	s.render(w, http.StatusOK, "queues", d)
}

// queueForm serves the buttons acting on a whole queue.
func (s *Service) queueForm(w http.ResponseWriter, r *http.Request) {
	ctx, queue, action := r.Context(), r.PathValue("queue"), r.PathValue("action")
	if CheckQueue(queue) != nil || queue == "" {
		s.renderError(w, http.StatusNotFound, "There is no such queue.")
		return
	}
	var n int
	var err error
	switch action {
	case "pause":
		err = s.Pause(ctx, queue)
	case "resume":
		err = s.Resume(ctx, queue)
	case "clear-dead":
		n, err = s.ClearDead(ctx, queue)
	case "retry-dead":
		n, err = s.RetryDead(ctx, queue)
	default:
		s.renderError(w, http.StatusNotFound, "There is no such action.")
		return
	}
	s.afterAction(w, r, err, url.Values{"done": {action}, "queue": {queue}, "n": {strconv.Itoa(n)}})
}

// jobForm serves the retry and delete buttons of one job.
func (s *Service) jobForm(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, http.StatusNotFound, "There is no such job.")
		return
	}
	switch action := r.PathValue("action"); action {
	case "retry":
		err = s.Retry(r.Context(), id)
	case "delete":
		err = s.Delete(r.Context(), id)
	default:
		s.renderError(w, http.StatusNotFound, "There is no such action.")
		return
	}
	s.afterAction(w, r, err, url.Values{"done": {r.PathValue("action")}, "job": {strconv.FormatInt(id, 10)}})
}

// afterAction goes back to the page (POST, redirect, GET), with what happened.
func (s *Service) afterAction(w http.ResponseWriter, r *http.Request, err error, v url.Values) {
	switch {
	case errors.Is(err, ErrQueueNotStarted):
		v = url.Values{"error": {"not-started"}}
	case errors.Is(err, jobs.ErrNotFound):
		v = url.Values{"error": {"no-job"}}
	case err != nil:
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, PagePath+"?"+v.Encode(), http.StatusSeeOther)
}

// alerts are the fixed messages a failed action redirects with.
var alerts = map[string]string{
	"not-started": "No process has worked that queue yet, so it cannot be paused or resumed.",
	"no-job":      "That job no longer exists: it may have finished or been deleted.",
}

// notice words a finished action from the redirect's query; every part is checked,
// and the template escapes it.
func notice(q url.Values) string {
	queue, n, job := q.Get("queue"), q.Get("n"), q.Get("job")
	if CheckQueue(queue) != nil {
		return ""
	}
	if _, err := strconv.Atoi(n); err != nil {
		n = "?"
	}
	if _, err := strconv.ParseInt(job, 10, 64); err != nil {
		job = "?"
	}
	switch q.Get("done") {
	case "pause":
		return fmt.Sprintf("Paused %s: within a few seconds no process starts its jobs, until it is resumed.", queue)
	case "resume":
		return fmt.Sprintf("Resumed %s.", queue)
	case "clear-dead":
		return fmt.Sprintf("Deleted %s dead jobs of %s.", n, queue)
	case "retry-dead":
		return fmt.Sprintf("Queued %s dead jobs of %s to run again.", n, queue)
	case "retry":
		return fmt.Sprintf("Job %s will run again now.", job)
	case "delete":
		return fmt.Sprintf("Deleted job %s.", job)
	}
	return ""
}

func (s *Service) fail(w http.ResponseWriter, r *http.Request, err error) {
	s.log().ErrorContext(r.Context(), "queue console", "err", err)
	s.renderError(w, http.StatusInternalServerError, "Something went wrong on the server. Try again later.")
}

func (s *Service) renderError(w http.ResponseWriter, status int, msg string) {
	s.render(w, status, "error", pageData{Alert: msg})
}

func (s *Service) render(w http.ResponseWriter, status int, name string, d pageData) {
	d.Site = s.Config.SiteTitle
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, d); err != nil {
		s.log().Error("render queue console", "page", name, "err", err)
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return
	}
	websession.SetPageHeaders(w.Header())
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// FormatAge writes a wait the way people read it: 45s, 12m, 3h 5m, 2d 4h; "-" for none.
func FormatAge(d time.Duration) string {
	switch {
	case d <= 0:
		return "-"
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh %dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd %dh", int(d.Hours())/24, int(d.Hours())%24)
}
