package mastoapi

import (
	"net/http"
	"strconv"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/social"
)

// pathYear reads the {year} path value; anything but a plausible year is a missing report.
func pathYear(r *http.Request) (int, error) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || y < 1 || y > 9999 {
		return 0, httpx.ErrNotFound
	}
	return y, nil
}

func (a *API) annualReports(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:accounts")
	if err != nil {
		return err
	}
	v, err := a.Social.AnnualReports(r.Context(), auth.Account)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.AnnualReports(v))
}

func (a *API) annualReport(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:accounts")
	if err != nil {
		return err
	}
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	v, err := a.Social.AnnualReport(r.Context(), auth.Account, year)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.AnnualReports(v))
}

func (a *API) annualReportState(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:accounts")
	if err != nil {
		return err
	}
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	state, err := a.Social.AnnualReportState(r.Context(), auth.Account, year)
	if err != nil {
		return err
	}
	return httpx.OK(w, map[string]string{"state": state})
}

// generateAnnualReport answers 202 while the report is being made, else 200.
func (a *API) generateAnnualReport(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:accounts")
	if err != nil {
		return err
	}
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	state, err := a.Social.GenerateAnnualReport(r.Context(), auth.Account, year)
	if err != nil {
		return err
	}
	if state == social.ReportGenerating {
		return httpx.WriteJSON(w, http.StatusAccepted, struct{}{})
	}
	return httpx.OK(w, struct{}{})
}

func (a *API) readAnnualReport(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:accounts")
	if err != nil {
		return err
	}
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	if err := a.Social.MarkAnnualReportRead(r.Context(), auth.Account, year); err != nil {
		return err
	}
	return httpx.OK(w, struct{}{})
}
