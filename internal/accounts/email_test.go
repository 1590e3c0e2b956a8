package accounts

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/mail"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// outbox records queued mail and whether each was queued inside a transaction.
type outbox struct {
	mails []mail.DeliverArgs
	inTx  []bool
}

func (o *outbox) Enqueue(_ context.Context, q store.Q, args river.JobArgs, _ *river.InsertOpts) error {
	o.mails = append(o.mails, args.(mail.DeliverArgs))
	o.inTx = append(o.inTx, q.SQLTx() != nil)
	return nil
}

func mailService(t *testing.T, st *store.Store) (*Service, *outbox) {
	s, ob := newService(st), &outbox{}
	s.Mail = &mail.Outbox{Jobs: ob, Config: s.Config}
	return s, ob
}

// secretFor mints the token the worker would for the queued mail i.
func secretFor(t *testing.T, s *Service, ob *outbox, i int) string {
	t.Helper()
	m := ob.mails[i]
	secret, err := s.IssueToken(context.Background(), m.Link.Kind, m.Link.UserID, m.To)
	if err != nil {
		t.Fatalf("issue token for %s: %v", m.Template, err)
	}
	return secret
}

func TestSignupQueuesConfirmationInItsTransaction(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s, ob := mailService(t, st)
		ctx := context.Background()
		_, u, err := s.Create(ctx, CreateParams{Username: "ada", Email: "ada@example.org", Password: "long enough", Approved: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(ob.mails) != 1 || ob.mails[0].Template != mail.TemplateConfirmation || !ob.inTx[0] || ob.mails[0].Link.UserID != u.ID {
			t.Fatalf("queued %+v (in tx %v); want one confirmation in the sign-up transaction", ob.mails, ob.inTx)
		}
		secret := secretFor(t, s, ob, 0)
		if _, err := s.Confirm(ctx, "wrong"+secret); !errors.Is(err, ErrTokenInvalid) {
			t.Errorf("Confirm(wrong) = %v; want ErrTokenInvalid", err)
		}
		got, err := s.Confirm(ctx, secret)
		if err != nil || got.ConfirmedAt == nil {
			t.Fatalf("Confirm = %+v, %v", got, err)
		}
		if _, err := s.Confirm(ctx, secret); !errors.Is(err, ErrTokenInvalid) {
			t.Errorf("second Confirm = %v; want ErrTokenInvalid (single use)", err)
		}
		if _, err := s.IssueToken(ctx, TokenConfirmation, u.ID, u.Email); !errors.Is(err, mail.ErrObsolete) {
			t.Errorf("confirmation token for a confirmed user: %v; want ErrObsolete", err)
		}
		if err := s.ResendConfirmation(ctx, u.ID, ""); !errors.Is(err, ErrAlreadyConfirmed) {
			t.Errorf("resend when confirmed = %v; want ErrAlreadyConfirmed", err)
		}
	})
}

func TestExpiredTokensAreRefused(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s, ob := mailService(t, st)
		ctx := context.Background()
		_, u, err := s.Create(ctx, CreateParams{Username: "ada", Email: "ada@example.org", Password: "long enough", Approved: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RequestPasswordReset(ctx, "ADA@example.org"); err != nil {
			t.Fatal(err)
		}
		if err := s.RequestPasswordReset(ctx, "nobody@example.org"); err != nil || len(ob.mails) != 2 {
			t.Fatalf("reset for an unknown address: %v, %d mails; want nil and no mail", err, len(ob.mails))
		}
		secret := secretFor(t, s, ob, 1)
		// Age the token past its six hours.
		if _, err := st.DB().ExecContext(ctx, `UPDATE user_tokens SET expires_at = $1 WHERE user_id = $2`,
			time.Now().Add(-time.Minute).UTC(), u.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.CheckPasswordResetToken(ctx, secret); !errors.Is(err, ErrTokenInvalid) {
			t.Errorf("expired token checks as %v; want ErrTokenInvalid", err)
		}
		if err := s.ResetPassword(ctx, secret, "a new password"); !errors.Is(err, ErrTokenInvalid) {
			t.Errorf("expired token resets: %v; want ErrTokenInvalid", err)
		}
		if n, err := st.Writer().DeleteStaleUserTokens(ctx, time.Now()); err != nil || n != 1 {
			t.Errorf("DeleteStaleUserTokens = %d, %v; want the expired token gone", n, err)
		}
	})
}

func TestRequestEmailChange(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s, ob := mailService(t, st)
		ctx := context.Background()
		_, u, err := s.Create(ctx, CreateParams{Username: "ada", Email: "ada@example.org", Password: "long enough", Confirmed: true, Approved: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Create(ctx, CreateParams{Username: "bob", Email: "bob@example.org", Password: "long enough", Confirmed: true, Approved: true}); err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"bob@example.org", "ADA@example.org", "not an address"} {
			if err := s.RequestEmailChange(ctx, u.ID, bad); asValidation(err) == nil {
				t.Errorf("RequestEmailChange(%q) = %v; want a validation error", bad, err)
			}
		}
		if err := s.RequestEmailChange(ctx, u.ID, "first@example.net"); err != nil {
			t.Fatal(err)
		}
		first := secretFor(t, s, ob, 0)
		if err := s.RequestEmailChange(ctx, u.ID, "ada@new.example"); err != nil {
			t.Fatal(err)
		}
		if len(ob.mails) != 4 || ob.mails[2].To != "ada@new.example" || ob.mails[3].To != "ada@example.org" ||
			ob.mails[3].Template != mail.TemplateEmailChangeNotice || ob.mails[3].Data["new_email"] != "ada@new.example" {
			t.Fatalf("queued %+v", ob.mails)
		}
		if _, err := s.ConfirmEmailChange(ctx, first); !errors.Is(err, ErrTokenInvalid) {
			t.Errorf("link of a superseded request: %v; want ErrTokenInvalid", err)
		}
		got, err := s.ConfirmEmailChange(ctx, secretFor(t, s, ob, 2))
		if err != nil || got.Email != "ada@new.example" {
			t.Fatalf("ConfirmEmailChange = %+v, %v", got, err)
		}
		if stored, _ := st.UserByID(ctx, u.ID); stored.Email != "ada@new.example" {
			t.Errorf("stored address = %q", stored.Email)
		}
	})
}

func TestApprovalSignupNotifiesAdminsOnly(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		s, ob := mailService(t, st)
		ctx := context.Background()
		for _, r := range []string{model.RoleOwner, model.RoleAdmin, model.RoleModerator} {
			if _, _, err := s.Create(ctx, CreateParams{Username: "staff_" + r, Email: r + "@staff.example", Password: "long enough",
				Role: r, Confirmed: true, Approved: true}); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := s.Create(ctx, CreateParams{Username: "newbie", Email: "newbie@example.org", Password: "long enough", Reason: "hi"}); err != nil {
			t.Fatal(err)
		}
		var to []string
		for i, m := range ob.mails {
			if m.Template == mail.TemplateAdminSignup {
				to = append(to, m.To)
				if !ob.inTx[i] || m.Data["username"] != "newbie" || m.Data["reason"] != "hi" {
					t.Errorf("notice %+v (in tx %v)", m, ob.inTx[i])
				}
			}
		}
		if len(to) != 2 || to[0] != "Owner@staff.example" || to[1] != "Admin@staff.example" {
			t.Errorf("sign-up notices went to %v; want the owner and the admin", to)
		}
	})
}
