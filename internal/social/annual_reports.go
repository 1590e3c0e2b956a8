package social

import (
	"context"
	"errors"
	"time"

	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// States of an annual report, as Mastodon names them.
const (
	ReportAvailable  = "available"
	ReportGenerating = "generating"
	ReportEligible   = "eligible"
	ReportIneligible = "ineligible"
)

// annualReportSchema is the version of the data tusk computes (Mastodon's schema 2).
const annualReportSchema = 2

// campaignStart is the day of December from which a year's report is offered, to its end.
const campaignStart = 10

// AnnualReportsView is reports with the statuses they name, hydrated for the viewer.
type AnnualReportsView struct {
	Reports  []*model.AnnualReport
	Account  *model.Account
	Statuses []*StatusView
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// AnnualReports lists the member's generated reports.
func (s *Service) AnnualReports(ctx context.Context, viewer *model.Account) (*AnnualReportsView, error) {
	list, err := s.Store.AnnualReports(ctx, viewer.ID)
	if err != nil {
		return nil, err
	}
	return s.annualReportsView(ctx, viewer, list)
}

// AnnualReport loads the member's generated report for a year.
func (s *Service) AnnualReport(ctx context.Context, viewer *model.Account, year int) (*AnnualReportsView, error) {
	r, err := s.Store.AnnualReport(ctx, viewer.ID, year)
	if err != nil || r.Data == nil {
		return nil, denied(orNotFound(err))
	}
	return s.annualReportsView(ctx, viewer, []*model.AnnualReport{r})
}

func (s *Service) annualReportsView(ctx context.Context, viewer *model.Account, list []*model.AnnualReport) (*AnnualReportsView, error) {
	var ids []int64
	for _, r := range list {
		if top := r.Data.TopStatuses.ByReblogs; top != nil {
			if v, ok := id.Parse(*top); ok {
				ids = append(ids, v)
			}
		}
	}
	byID, err := s.statusViewsByID(ctx, viewer, ids)
	if err != nil {
		return nil, err
	}
	v := &AnnualReportsView{Reports: list, Account: viewer, Statuses: []*StatusView{}}
	for _, statusID := range ids {
		if sv := byID[statusID]; sv != nil {
			v.Statuses = append(v.Statuses, sv)
		}
	}
	return v, nil
}

// AnnualReportState tells whether the member's report for a year exists, is being
// generated, may be generated, or may not.
func (s *Service) AnnualReportState(ctx context.Context, viewer *model.Account, year int) (string, error) {
	r, err := s.Store.AnnualReport(ctx, viewer.ID, year)
	switch {
	case err == nil && r.Data != nil:
		return ReportAvailable, nil
	case err == nil:
		return ReportGenerating, nil
	case !errors.Is(err, store.ErrNotFound):
		return "", err
	}
	ok, err := s.eligible(ctx, viewer, year)
	if err != nil || !ok {
		return ReportIneligible, err
	}
	return ReportEligible, nil
}

// eligible applies Mastodon's offer: a year's report can be made from December 10th to
// the year's end, for a member who posted at least once that year.
func (s *Service) eligible(ctx context.Context, viewer *model.Account, year int) (bool, error) {
	now := s.now()
	if now.Year() != year || now.Month() != time.December || now.Day() < campaignStart {
		return false, nil
	}
	from, to := yearBounds(year)
	c, err := s.Store.CountStatusesBetween(ctx, viewer.ID, from, to)
	return c.Total > 0, err
}

func yearBounds(year int) (time.Time, time.Time) {
	from := time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC)
	return from, from.AddDate(1, 0, 0)
}

// GenerateAnnualReport starts generating the member's report for a year when it may be
// made and is not already there, and returns the report's state after the request.
func (s *Service) GenerateAnnualReport(ctx context.Context, viewer *model.Account, year int) (string, error) {
	state, err := s.AnnualReportState(ctx, viewer, year)
	if err != nil || state != ReportEligible {
		return state, err
	}
	err = s.Store.Tx(ctx, func(q store.Q) error {
		started, err := q.StartAnnualReport(ctx, viewer.ID, year, annualReportSchema)
		if err != nil || !started || s.Jobs == nil {
			return err
		}
		return s.Jobs.Enqueue(ctx, q, AnnualReportArgs{AccountID: viewer.ID, Year: year}, nil)
	})
	if err != nil {
		return "", err
	}
	return ReportGenerating, nil
}

// MarkAnnualReportRead records that the member has seen the report.
func (s *Service) MarkAnnualReportRead(ctx context.Context, viewer *model.Account, year int) error {
	return orNotFound(s.Store.Writer().MarkAnnualReportViewed(ctx, viewer.ID, year))
}
