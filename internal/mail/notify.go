package mail

import (
	"context"
	"fmt"
	"maps"
	"strconv"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// Signup is what the staff notice about a sign-up awaiting approval shows.
type Signup struct {
	Username, Email, Reason string
}

// NotifyNewSignup queues, in q's transaction, the "new sign-up awaiting approval"
// notice to every Admin and Owner.
func NotifyNewSignup(ctx context.Context, o *Outbox, q store.Q, s Signup) error {
	return notifyStaff(ctx, o, q, TemplateAdminSignup, map[string]string{
		"username": s.Username, "email": s.Email, "reason": s.Reason,
	}, model.RoleOwner, model.RoleAdmin)
}

// Report is what the staff notice about a new report shows.
type Report struct {
	ID       int64
	Reporter string // the reporting account's handle (user or user@domain)
	Target   string // the reported account's handle
	Statuses int    // how many statuses the report attaches
	Comment  string
	URL      string // where a moderator reviews it; "" while there is no such page
}

// NotifyNewReport queues, in q's transaction, the "new report" notice to every Admin,
// Owner and Moderator. The report feature calls it when it stores a report.
func NotifyNewReport(ctx context.Context, o *Outbox, q store.Q, r Report) error {
	return notifyStaff(ctx, o, q, TemplateAdminReport, map[string]string{
		"report_id": strconv.FormatInt(r.ID, 10), "reporter": r.Reporter, "target": r.Target,
		"statuses": strconv.Itoa(r.Statuses), "comment": r.Comment, "url": r.URL,
	}, model.RoleOwner, model.RoleAdmin, model.RoleModerator)
}

// notifyStaff queues template to each user holding one of roles, greeting each by
// username; data is shared by all.
func notifyStaff(ctx context.Context, o *Outbox, q store.Q, template string, data map[string]string, roles ...string) error {
	if o == nil {
		return nil
	}
	staff, err := q.UsersWithRoles(ctx, roles...)
	if err != nil {
		return fmt.Errorf("mail: %s: %w", template, err)
	}
	for _, u := range staff {
		a, err := q.AccountByID(ctx, u.AccountID)
		if err != nil {
			return fmt.Errorf("mail: %s: %w", template, err)
		}
		d := maps.Clone(data)
		d["staff"] = a.Username
		if err := o.Queue(ctx, q, DeliverArgs{Template: template, To: u.Email, Data: d}); err != nil {
			return err
		}
	}
	return nil
}
