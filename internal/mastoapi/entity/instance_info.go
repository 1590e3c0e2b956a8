package entity

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

// Rule is Mastodon's Rule entity.
type Rule struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	Hint string `json:"hint"`
}

// Rules renders the instance's rules.
func (r Renderer) Rules(list []*model.Rule) []Rule {
	out := make([]Rule, len(list))
	for i, rule := range list {
		out[i] = Rule{ID: id.Format(rule.ID), Text: rule.Text, Hint: rule.Hint}
	}
	return out
}

// DomainBlock is Mastodon's DomainBlock entity.
type DomainBlock struct {
	Domain   string  `json:"domain"`
	Digest   string  `json:"digest"`
	Severity string  `json:"severity"`
	Comment  *string `json:"comment,omitempty"`
}

// DomainBlocks renders the server's blocks; withComment adds their public comments.
func (r Renderer) DomainBlocks(list []*model.DomainBlock, withComment bool) []DomainBlock {
	out := make([]DomainBlock, len(list))
	for i, b := range list {
		sum := sha256.Sum256([]byte(b.Domain))
		out[i] = DomainBlock{Domain: b.Domain, Digest: hex.EncodeToString(sum[:]), Severity: b.Severity}
		if b.Obfuscate {
			out[i].Domain = obfuscate(b.Domain)
		}
		if withComment && b.PublicComment != "" {
			comment := b.PublicComment
			out[i].Comment = &comment
		}
	}
	return out
}

// obfuscate stars the middle half of a domain's letters, keeping its dots, so readers
// can tell a blocked domain they know from its digest without the list naming it.
func obfuscate(domain string) string {
	b := []byte(domain)
	keep := len(b) / 4
	for i := range b {
		if i >= keep && i < len(b)-keep && b[i] != '.' {
			b[i] = '*'
		}
	}
	return string(b)
}

// Activity is one week of /api/v1/instance/activity; Mastodon sends the numbers as strings.
type Activity struct {
	Week          string `json:"week"`
	Statuses      string `json:"statuses"`
	Logins        string `json:"logins"`
	Registrations string `json:"registrations"`
}

// Activity renders the weekly counts.
func (r Renderer) Activity(weeks []model.WeekActivity) []Activity {
	out := make([]Activity, len(weeks))
	for i, w := range weeks {
		out[i] = Activity{Week: strconv.FormatInt(w.Week.Unix(), 10), Statuses: strconv.FormatInt(w.Statuses, 10),
			Logins: strconv.FormatInt(w.Logins, 10), Registrations: strconv.FormatInt(w.Registrations, 10)}
	}
	return out
}

// Document is Mastodon's ExtendedDescription and PrivacyPolicy entity.
type Document struct {
	UpdatedAt *string `json:"updated_at"`
	Content   string  `json:"content"`
}

// Document renders a page of the instance's text.
func (r Renderer) Document(d *social.Document) Document {
	var updated *string
	if d.UpdatedAt != nil {
		s := d.UpdatedAt.UTC().Format(time.RFC3339)
		updated = &s
	}
	return Document{UpdatedAt: updated, Content: d.Content}
}

// TermsOfService is Mastodon's TermsOfService entity.
type TermsOfService struct {
	EffectiveDate string  `json:"effective_date"`
	Effective     bool    `json:"effective"`
	Content       string  `json:"content"`
	SucceededBy   *string `json:"succeeded_by"`
}

// TermsOfService renders one version of the terms.
func (r Renderer) TermsOfService(t *social.Terms) TermsOfService {
	return TermsOfService{EffectiveDate: t.EffectiveDate, Effective: t.Effective, Content: t.Content, SucceededBy: t.SucceededBy}
}

// Report is Mastodon's Report entity.
type Report struct {
	ID            string   `json:"id"`
	ActionTaken   bool     `json:"action_taken"`
	ActionTakenAt *string  `json:"action_taken_at"`
	Category      string   `json:"category"`
	Comment       string   `json:"comment"`
	Forwarded     bool     `json:"forwarded"`
	CreatedAt     string   `json:"created_at"`
	StatusIDs     []string `json:"status_ids"`
	RuleIDs       []string `json:"rule_ids"`
	TargetAccount Account  `json:"target_account"`
}

// Report renders a report; empty id lists are null, as Mastodon sends them.
func (r Renderer) Report(rep *model.Report, target *model.Account) Report {
	return Report{ID: id.Format(rep.ID), ActionTaken: rep.ActionTakenAt != nil, ActionTakenAt: timestampPtr(rep.ActionTakenAt),
		Category: rep.Category, Comment: rep.Comment, Forwarded: rep.Forwarded, CreatedAt: timestamp(rep.CreatedAt),
		StatusIDs: formatIDs(rep.StatusIDs), RuleIDs: formatIDs(rep.RuleIDs), TargetAccount: r.Account(target)}
}

func formatIDs(ids []int64) []string {
	if len(ids) == 0 {
		return nil
	}
	out := make([]string, len(ids))
	for i, v := range ids {
		out[i] = id.Format(v)
	}
	return out
}
