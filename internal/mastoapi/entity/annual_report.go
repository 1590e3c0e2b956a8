package entity

import (
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

// AnnualReport is Mastodon's AnnualReport entity. tusk has no shareable report page,
// so share_url is null.
type AnnualReport struct {
	Year          int                     `json:"year"`
	Data          *model.AnnualReportData `json:"data"`
	SchemaVersion int                     `json:"schema_version"`
	ShareURL      *string                 `json:"share_url"`
	AccountID     string                  `json:"account_id"`
}

// WrappedAnnualReports is reports with the accounts and statuses they mention.
type WrappedAnnualReports struct {
	AnnualReports []AnnualReport `json:"annual_reports"`
	Accounts      []Account      `json:"accounts"`
	Statuses      []Status       `json:"statuses"`
}

// AnnualReports renders reports for their owner.
func (r Renderer) AnnualReports(v *social.AnnualReportsView) WrappedAnnualReports {
	out := WrappedAnnualReports{AnnualReports: []AnnualReport{}, Accounts: []Account{r.Account(v.Account)},
		Statuses: r.Statuses(v.Statuses, true)}
	for _, rep := range v.Reports {
		out.AnnualReports = append(out.AnnualReports, AnnualReport{Year: rep.Year, Data: rep.Data,
			SchemaVersion: rep.SchemaVersion, AccountID: id.Format(rep.AccountID)})
	}
	return out
}
