package console

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/tuskhq/tusk/internal/delivery"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/websession"
)

//go:embed templates/federation.html
var federationFiles embed.FS

// federationPages is parsed once and only read afterwards.
var federationPages = template.Must(template.New("").Funcs(template.FuncMap{
	"when": func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.UTC().Format("2006-01-02 15:04:05")
	},
	"pct": func(v float64) string { return strconv.FormatFloat(100*v, 'f', 1, 64) + "%" },
	"ms": func(d time.Duration) string {
		if d == 0 {
			return "-"
		}
		return d.String()
	},
}).ParseFS(federationFiles, "templates/federation.html"))

type federationData struct {
	Site, User, CSRF string
	Hosts            []delivery.HostInfo
	State, Sort      string
	States           []string
	Charts           []queueChart
	Notice, Alert    string
	Generated        time.Time
}

func (s *Service) federationPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := federationData{State: q.Get("state"), Sort: q.Get("sort"), States: delivery.States, Generated: now()}
	if d.State != "" && !slices.Contains(delivery.States, d.State) {
		d.Alert, d.State = "There is no such host state; showing every host.", ""
	}
	if d.Sort != "host" {
		d.Sort = "backlog"
	}
	var err error
	if d.Hosts, err = s.Delivery.Hosts(r.Context(), delivery.Filter{State: d.State, Sort: d.Sort}); err != nil {
		s.fail(w, r, err)
		return
	}
	since, until, samples, err := s.Delivery.Samples(r.Context(), 24)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Charts = deliveryCharts(since, until, samples)
	d.Notice = hostNotice(q)
	if q.Get("error") == "no-host" {
		d.Alert = "tusk has never delivered to that host."
	}
	_, acc := websession.Current(r)
	d.User, d.CSRF = acc.Username, s.Sessions.FormToken(w, r)
	s.renderFederation(w, http.StatusOK, "federation", d)
}

// deliveryCharts draws the outcomes with the queue console's chart code: the backlog
// takes the place of a queue's depth, deliveries per minute that of jobs per minute.
func deliveryCharts(since, until time.Time, samples []store.DeliverySample) []queueChart {
	series := Series{Queue: "deliveries"}
	for _, sm := range samples {
		series.Samples = append(series.Samples, store.QueueSample{Queue: "deliveries", Minute: sm.Minute, Depth: sm.Backlog,
			Completed: sm.Delivered, Failed: sm.Failed + sm.GaveUp})
	}
	charts := buildCharts(History{Since: since, Until: until, Queues: []Series{series}})
	depth, rate := &charts[0].Panels[0], &charts[0].Panels[1]
	depth.Title, depth.Lines = "Deliveries waiting", depth.Lines[:1] // no "running" line: attempts are not sampled
	rate.Title = "Deliveries per minute"
	return charts
}

// hostForm serves the reset, suspend and resume buttons.
func (s *Service) hostForm(w http.ResponseWriter, r *http.Request) {
	name, action := r.PathValue("host"), r.PathValue("action")
	act := s.hostAction(action)
	if act == nil {
		s.renderFederationError(w, http.StatusNotFound, "There is no such action.")
		return
	}
	err := act(r.Context(), name)
	switch {
	case errors.Is(err, store.ErrNotFound), errors.Is(err, delivery.ErrBadDelivery):
		http.Redirect(w, r, FederationPath+"?error=no-host", http.StatusSeeOther)
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	host, _ := delivery.NormalizeHost("", name)
	http.Redirect(w, r, FederationPath+"?"+url.Values{"done": {action}, "host": {host}}.Encode(), http.StatusSeeOther)
}

// hostNotice words a finished action; the host is checked, and the template escapes it.
func hostNotice(q url.Values) string {
	host, err := delivery.NormalizeHost("", q.Get("host"))
	if err != nil {
		return ""
	}
	switch q.Get("done") {
	case "reset":
		return "Reset " + host + ": its failures are forgotten and it will be delivered to again."
	case "suspend-delivery":
		return "Suspended delivery to " + host + ": its deliveries wait until it is resumed."
	case "resume-delivery":
		return "Resumed delivery to " + host + "."
	}
	return ""
}

func (s *Service) renderFederationError(w http.ResponseWriter, status int, msg string) {
	s.renderFederation(w, status, "federation-error", federationData{Alert: msg})
}

func (s *Service) renderFederation(w http.ResponseWriter, status int, name string, d federationData) {
	d.Site = s.Config.SiteTitle
	var buf bytes.Buffer
	if err := federationPages.ExecuteTemplate(&buf, name, d); err != nil {
		s.log().Error("render federation page", "page", name, "err", err)
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return
	}
	websession.SetPageHeaders(w.Header())
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
