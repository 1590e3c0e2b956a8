package social

import (
	"context"
	"errors"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// AnnualReportArgs is the job computing one member's report for a year. The account id
// travels as a string: ids pass 2⁵³, which River's PostgreSQL driver would round.
type AnnualReportArgs struct {
	AccountID int64 `json:"account_id,string"`
	Year      int   `json:"year"`
}

// Kind names the job.
func (AnnualReportArgs) Kind() string { return "annual_report.generate" }

// InsertOpts puts the work on the default queue, for local members' work.
func (AnnualReportArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: jobs.Default} }

type annualReportWorker struct {
	river.WorkerDefaults[AnnualReportArgs]
	s *Service
}

// AnnualReportWorker returns the worker of AnnualReportArgs, to register with the queues.
func (s *Service) AnnualReportWorker() river.Worker[AnnualReportArgs] {
	return &annualReportWorker{s: s}
}

func (w *annualReportWorker) Work(ctx context.Context, job *river.Job[AnnualReportArgs]) error {
	data, err := w.s.computeAnnualReport(ctx, job.Args.AccountID, job.Args.Year)
	if err != nil {
		return err
	}
	err = w.s.Store.Writer().FinishAnnualReport(ctx, job.Args.AccountID, job.Args.Year, data)
	if errors.Is(err, store.ErrNotFound) {
		return nil // the account was deleted meanwhile
	}
	return err
}

// computeAnnualReport sums up a year from what the database still holds of it.
func (s *Service) computeAnnualReport(ctx context.Context, accountID int64, year int) (*model.AnnualReportData, error) {
	from, to := yearBounds(year)
	d := &model.AnnualReportData{TimeSeries: []model.MonthActivity{}, TopHashtags: []model.TagCount{}}
	for m := 0; m < 12; m++ {
		start, end := from.AddDate(0, m, 0), from.AddDate(0, m+1, 0)
		c, err := s.Store.CountStatusesBetween(ctx, accountID, start, end)
		if err != nil {
			return nil, err
		}
		followers, err := s.Store.CountNewFollowersBetween(ctx, accountID, start, end)
		if err != nil {
			return nil, err
		}
		d.TimeSeries = append(d.TimeSeries, model.MonthActivity{Month: m + 1, Statuses: c.Total, Followers: followers})
	}
	tag, err := s.Store.TopTagBetween(ctx, accountID, from, to)
	if err == nil {
		d.TopHashtags = append(d.TopHashtags, *tag)
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	top, err := s.Store.MostReblogged(ctx, accountID, from, to)
	if err == nil {
		v := id.Format(top)
		d.TopStatuses.ByReblogs = &v
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	counts, err := s.Store.CountStatusesBetween(ctx, accountID, from, to)
	d.Archetype = archetype(counts)
	return d, err
}

// archetype is tusk's coarse reading of a year's posting habits: few posts make a
// lurker; mostly boosts a booster; mostly replies a replier; otherwise an oracle, who
// mostly posts their own thoughts. (Mastodon's "pollster" needs polls, which tusk's
// reports do not count yet.)
func archetype(c store.StatusCounts) string {
	switch {
	case c.Total < lurkerBelow:
		return "lurker"
	case c.Reblogs*2 > c.Total:
		return "booster"
	case c.Replies*2 > c.Total:
		return "replier"
	}
	return "oracle"
}

// lurkerBelow is how many statuses a year makes its author more than a lurker.
const lurkerBelow = 10
