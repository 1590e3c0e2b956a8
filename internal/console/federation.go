package console

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/tuskhq/tusk/internal/delivery"
	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/store"
)

// FederationPath is the per-host delivery page, next to the queues.
const FederationPath = "/admin/federation"

// federationRoutes registers the per-host delivery API and page (when s.Delivery is set).
func (s *Service) federationRoutes(mux *http.ServeMux) {
	const base = "/api/v1/admin/tusk/federation"
	mux.Handle("GET "+base+"/hosts", s.api("admin:read", s.apiHosts))
	mux.Handle("GET "+base+"/hosts/{host}", s.api("admin:read", s.apiHost))
	mux.Handle("POST "+base+"/hosts/{host}/{action}", s.api("admin:write", s.apiHostAction))
	mux.Handle("GET "+base+"/history", s.api("admin:read", s.apiDeliveryHistory))
	mux.Handle("GET "+FederationPath, s.adminPage(s.federationPage))
	mux.Handle("POST "+FederationPath+"/hosts/{host}/{action}", s.adminForm(s.hostForm))
}

// hostActions are what an admin may do to one host, by the name the API and forms use.
func (s *Service) hostAction(name string) func(ctx context.Context, host string) error {
	switch name {
	case "reset":
		return s.Delivery.Reset
	case "suspend-delivery":
		return s.Delivery.SuspendDelivery
	case "resume-delivery":
		return s.Delivery.ResumeDelivery
	}
	return nil
}

// hostError turns delivery's errors into client errors.
func hostError(err error) error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return httpx.ErrNotFound
	case errors.Is(err, delivery.ErrBadDelivery):
		return httpx.Unprocessable("Not a host name: give it as example.com or example.com:8443")
	case errors.Is(err, delivery.ErrUnknownState):
		return httpx.Unprocessable("Unknown host state (states: %v)", delivery.States)
	}
	return err
}

func hostFilter(r *http.Request) (delivery.Filter, error) {
	f := delivery.Filter{State: r.URL.Query().Get("state"), Sort: r.URL.Query().Get("sort")}
	if f.Sort != "" && f.Sort != "backlog" && f.Sort != "host" {
		return f, httpx.Unprocessable("sort must be backlog or host")
	}
	return f, nil
}

func (s *Service) apiHosts(w http.ResponseWriter, r *http.Request) error {
	f, err := hostFilter(r)
	if err != nil {
		return err
	}
	list, err := s.Delivery.Hosts(r.Context(), f)
	if err != nil {
		return hostError(err)
	}
	out := make([]delivery.HostJSON, 0, len(list))
	for _, h := range list {
		out = append(out, delivery.RenderHost(h))
	}
	return httpx.OK(w, out)
}

func (s *Service) apiHost(w http.ResponseWriter, r *http.Request) error {
	h, err := s.Delivery.Host(r.Context(), r.PathValue("host"))
	if err != nil {
		return hostError(err)
	}
	return httpx.OK(w, delivery.RenderHost(h))
}

func (s *Service) apiHostAction(w http.ResponseWriter, r *http.Request) error {
	act := s.hostAction(r.PathValue("action"))
	if act == nil {
		return httpx.ErrNotFound
	}
	if err := act(r.Context(), r.PathValue("host")); err != nil {
		return hostError(err)
	}
	return s.apiHost(w, r)
}

type deliveryHistoryJSON struct {
	Since  time.Time           `json:"since"`
	Until  time.Time           `json:"until"`
	Points []deliveryPointJSON `json:"points"`
}

type deliveryPointJSON struct {
	At        time.Time `json:"at"`
	Delivered int64     `json:"delivered"`
	Failed    int64     `json:"failed"`
	GaveUp    int64     `json:"gave_up"`
	Backlog   int64     `json:"backlog"`
}

func (s *Service) apiDeliveryHistory(w http.ResponseWriter, r *http.Request) error {
	hours := 24
	if v := r.URL.Query().Get("hours"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 24 {
			return httpx.BadRequest("hours must be a whole number from 1 to 24")
		}
		hours = n
	}
	since, until, samples, err := s.Delivery.Samples(r.Context(), hours)
	if err != nil {
		return err
	}
	out := deliveryHistoryJSON{Since: since, Until: until, Points: []deliveryPointJSON{}}
	for _, sm := range samples {
		out.Points = append(out.Points, deliveryPointJSON{At: sm.Minute, Delivered: sm.Delivered, Failed: sm.Failed,
			GaveUp: sm.GaveUp, Backlog: sm.Backlog})
	}
	return httpx.OK(w, out)
}
