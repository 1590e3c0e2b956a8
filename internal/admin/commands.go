package admin

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/tuskhq/tusk/internal/accounts"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// create adds a local account. Operators may take reserved usernames such as "admin".
func create(ctx context.Context, d Deps, fs *flag.FlagSet, args []string) error {
	email := fs.String("email", "", "e-mail address the member signs in with (required)")
	password := fs.String("password", "", "password; when empty a strong one is generated and printed")
	confirmed := fs.Bool("confirmed", false, "mark the e-mail address as confirmed")
	approve := fs.Bool("approve", false, "approve the account (only needed when registrations require approval)")
	roleFlag := fs.String("role", "", "Owner, Admin or Moderator")
	username, err := parseArgs(fs, args, true)
	if err != nil {
		return err
	}
	if *email == "" {
		return errors.New("--email is required")
	}
	role, err := normalizeRole(*roleFlag)
	if err != nil {
		return err
	}
	mode, err := d.Accounts.RegistrationsMode(ctx)
	if err != nil {
		return err
	}
	pw := *password
	if pw == "" {
		pw = newPassword()
	}
	_, u, err := d.Accounts.Create(ctx, accounts.CreateParams{
		Username: username, Email: *email, Password: pw, Role: role, Confirmed: *confirmed,
		Approved: *approve || mode != config.RegistrationsApproval, AllowReserved: true,
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(d.Out, "OK")
	if *password == "" {
		fmt.Fprintf(d.Out, "New password: %s\n", pw)
	}
	if u.ConfirmedAt == nil {
		fmt.Fprintf(d.Out, "The e-mail address is unconfirmed, so %s cannot sign in yet; run \"modify %s --confirm\" to confirm it.\n", username, username)
	}
	return nil
}

// listRow is one account in list's output.
type listRow struct {
	Username  string    `json:"username"`
	Email     string    `json:"email"`
	Role      string    `json:"role"`
	Confirmed bool      `json:"confirmed"`
	Approved  bool      `json:"approved"`
	Disabled  bool      `json:"disabled"`
	CreatedAt time.Time `json:"created_at"`
}

// list prints every local account with a login, oldest first.
func list(ctx context.Context, d Deps, fs *flag.FlagSet, args []string) error {
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if _, err := parseArgs(fs, args, false); err != nil {
		return err
	}
	rows, err := listRows(ctx, d.Store)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(d.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	tw := tabwriter.NewWriter(d.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "USERNAME\tE-MAIL\tROLE\tCONFIRMED\tAPPROVED\tDISABLED\tCREATED")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Username, r.Email, orDash(r.Role),
			yesNo(r.Confirmed), yesNo(r.Approved), yesNo(r.Disabled), r.CreatedAt.Format(time.DateTime))
	}
	return tw.Flush()
}

func listRows(ctx context.Context, st *store.Store) ([]listRow, error) {
	rows := []listRow{}
	for after := int64(0); ; {
		page, err := st.ListLocalAccounts(ctx, after, 200)
		if err != nil || len(page) == 0 {
			return rows, err
		}
		for _, a := range page {
			u, err := st.UserByAccountID(ctx, a.ID)
			if errors.Is(err, store.ErrNotFound) {
				continue // an account without a login, such as an instance actor
			}
			if err != nil {
				return nil, err
			}
			rows = append(rows, listRow{a.Username, u.Email, u.Role, u.ConfirmedAt != nil, u.Approved, u.Disabled, u.CreatedAt.UTC()})
		}
		after = page[len(page)-1].ID
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// modifyFlags are modify's options.
type modifyFlags struct {
	role, email                                 *string
	disable, enable, confirm, approve, resetPwd *bool
}

// modify changes a member's login. Disabling and resetting the password end every
// session the member has.
func modify(ctx context.Context, d Deps, fs *flag.FlagSet, args []string) error {
	f := modifyFlags{
		role:     fs.String("role", "", `Owner, Admin or Moderator; --role "" removes the role`),
		email:    fs.String("email", "", "new e-mail address"),
		disable:  fs.Bool("disable", false, "stop the member from signing in, ending their sessions"),
		enable:   fs.Bool("enable", false, "let a disabled member sign in again"),
		confirm:  fs.Bool("confirm", false, "mark the e-mail address as confirmed"),
		approve:  fs.Bool("approve", false, "approve a pending sign-up"),
		resetPwd: fs.Bool("reset-password", false, "set and print a new random password, ending every session"),
	}
	username, err := parseArgs(fs, args, true)
	if err != nil {
		return err
	}
	if *f.disable && *f.enable {
		return errors.New("--disable and --enable cannot be used together")
	}
	_, u, err := lookup(ctx, d, username)
	if err != nil {
		return err
	}
	if err := applyModify(ctx, d, fs, f, u); err != nil {
		return err
	}
	if err := saveUser(ctx, d, u, *f.disable); err != nil {
		return err
	}
	if *f.resetPwd {
		pw := newPassword()
		if err := d.Accounts.SetPassword(ctx, u.ID, pw); err != nil {
			return err
		}
		fmt.Fprintf(d.Out, "New password: %s\n", pw)
	}
	fmt.Fprintln(d.Out, "OK")
	return nil
}

// applyModify changes u in memory as the flags ask.
func applyModify(ctx context.Context, d Deps, fs *flag.FlagSet, f modifyFlags, u *model.User) error {
	if isSet(fs, "role") {
		role, err := normalizeRole(*f.role)
		if err != nil {
			return err
		}
		u.Role = role
	}
	if isSet(fs, "email") {
		if err := d.Accounts.CheckEmail(ctx, *f.email, u.ID); err != nil {
			return err
		}
		u.Email = *f.email
	}
	if *f.disable || *f.enable {
		u.Disabled = *f.disable
	}
	if *f.confirm && u.ConfirmedAt == nil {
		now := time.Now().UTC()
		u.ConfirmedAt = &now
	}
	if *f.approve {
		u.Approved = true
	}
	return nil
}

// saveUser writes u, revoking its tokens in the same transaction when asked.
func saveUser(ctx context.Context, d Deps, u *model.User, revoke bool) error {
	return d.Store.Tx(ctx, func(q store.Q) error {
		if err := q.UpdateUser(ctx, u); err != nil {
			return err
		}
		if revoke {
			return q.RevokeUserTokens(ctx, u.ID)
		}
		return nil
	})
}

// approve lets a pending sign-up in.
func approve(ctx context.Context, d Deps, fs *flag.FlagSet, args []string) error {
	username, err := parseArgs(fs, args, true)
	if err != nil {
		return err
	}
	_, u, err := lookup(ctx, d, username)
	if err != nil {
		return err
	}
	u.Approved = true
	if err := saveUser(ctx, d, u, false); err != nil {
		return err
	}
	fmt.Fprintln(d.Out, "OK")
	return nil
}

// remove deletes a local account and, by cascade, its login, tokens and content.
func remove(ctx context.Context, d Deps, fs *flag.FlagSet, args []string) error {
	username, err := parseArgs(fs, args, true)
	if err != nil {
		return err
	}
	a, err := d.Store.AccountByHandle(ctx, username, "")
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no local account named %q", username)
	}
	if err != nil {
		return err
	}
	if err := d.Store.Tx(ctx, func(q store.Q) error { return q.DeleteAccount(ctx, a.ID) }); err != nil {
		return err
	}
	fmt.Fprintln(d.Out, "OK")
	return nil
}
