package social

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"unicode/utf8"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/mail"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// Limits on a report, as Mastodon's: the comment's length, and (tusk's own) how many
// statuses and rules one report may cite.
const (
	maxReportComment = 1000
	maxReportItems   = 100
)

// ReportParams is what a member files.
type ReportParams struct {
	TargetID  int64
	StatusIDs []int64
	RuleIDs   []int64
	Comment   string
	Category  string // "" means other, or violation when rules are cited
	Forward   bool
}

func invalid(format string, args ...any) error {
	return &httpx.Error{Code: http.StatusUnprocessableEntity, Msg: "Validation failed: " + fmt.Sprintf(format, args...)}
}

// Report files a report about an account for the moderators and mails them a notice in
// the same transaction. The cited statuses must be the target's and visible to the
// reporter; any other is the same 404 as a missing one. A report about a remote
// account is forwarded to its server (anonymously, as the instance) when asked.
func (s *Service) Report(ctx context.Context, reporter *model.Account, p ReportParams) (*model.Report, *model.Account, error) {
	target, err := s.Store.AccountByID(ctx, p.TargetID)
	if err != nil {
		return nil, nil, orNotFound(err)
	}
	r := &model.Report{AccountID: reporter.ID, TargetAccountID: target.ID, Comment: p.Comment,
		StatusIDs: uniqueIDs(p.StatusIDs), RuleIDs: uniqueIDs(p.RuleIDs), Forwarded: p.Forward && !target.IsLocal() && s.Federator != nil}
	if err := s.checkReport(ctx, r, p.Category); err != nil {
		return nil, nil, err
	}
	if err := s.checkReportedStatuses(ctx, reporter, target, r.StatusIDs); err != nil {
		return nil, nil, err
	}
	err = s.Store.Tx(ctx, func(q store.Q) error {
		if err := q.InsertReport(ctx, r); err != nil {
			return err
		}
		if err := mail.NotifyNewReport(ctx, s.Mail, q, mail.Report{ID: r.ID, Reporter: reporter.Acct(), Target: target.Acct(),
			Statuses: len(r.StatusIDs), Comment: r.Comment}); err != nil {
			return err
		}
		if !r.Forwarded {
			return nil
		}
		return s.federate(ctx, q, ReportFiled{r})
	})
	return r, target, err
}

// checkReport validates the comment, category and rules, setting r.Category.
func (s *Service) checkReport(ctx context.Context, r *model.Report, category string) error {
	if n := utf8.RuneCountInString(r.Comment); n > maxReportComment {
		return invalid("Comment is too long (maximum is %d characters)", maxReportComment)
	}
	if len(r.StatusIDs) > maxReportItems || len(r.RuleIDs) > maxReportItems {
		return invalid("a report may cite at most %d statuses and %d rules", maxReportItems, maxReportItems)
	}
	switch {
	case len(r.RuleIDs) > 0:
		r.Category = model.ReportViolation
	case category == "":
		r.Category = model.ReportOther
	case slices.Contains([]string{model.ReportSpam, model.ReportLegal, model.ReportViolation, model.ReportOther}, category):
		r.Category = category
	default:
		return invalid("Category is not included in the list")
	}
	if r.Category != model.ReportViolation {
		return nil
	}
	rules, err := s.Store.Rules(ctx)
	if err != nil {
		return err
	}
	known := 0
	for _, rule := range rules {
		if slices.Contains(r.RuleIDs, rule.ID) {
			known++
		}
	}
	if len(r.RuleIDs) == 0 || known != len(r.RuleIDs) {
		return invalid("Rule ids does not reference valid rules")
	}
	return nil
}

func (s *Service) checkReportedStatuses(ctx context.Context, reporter, target *model.Account, ids []int64) error {
	owned, err := s.Store.StatusesOf(ctx, target.ID, ids)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if !owned[id] {
			return ErrNotFound
		}
		if _, err := s.VisibleStatus(ctx, reporter, id); err != nil {
			return err
		}
	}
	return nil
}

func uniqueIDs(ids []int64) []int64 {
	var out []int64
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}
