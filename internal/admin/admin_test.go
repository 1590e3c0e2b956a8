package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/tuskhq/tusk/internal/accounts"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// cli runs accounts commands against one store and keeps their output.
type cli struct {
	t   *testing.T
	d   Deps
	out *bytes.Buffer
}

func newCLI(t *testing.T, st *store.Store, mode string) *cli {
	cfg := config.Config{LocalDomain: "example.test", WebDomain: "example.test", Registrations: mode}
	out := &bytes.Buffer{}
	acc := &accounts.Service{Store: st, Config: cfg, PasswordCost: bcrypt.MinCost}
	return &cli{t: t, d: Deps{Store: st, Config: cfg, Accounts: acc, Out: out}, out: out}
}

// run runs a command line and returns its output.
func (c *cli) run(line string) (string, error) {
	c.out.Reset()
	err := Accounts(context.Background(), c.d, strings.Fields(line))
	return c.out.String(), err
}

func (c *cli) mustRun(line string) string {
	c.t.Helper()
	out, err := c.run(line)
	if err != nil {
		c.t.Fatalf("%s: %v\n%s", line, err, out)
	}
	return out
}

func (c *cli) user(username string) *model.User {
	c.t.Helper()
	a, err := c.d.Store.AccountByHandle(context.Background(), username, "")
	if err != nil {
		c.t.Fatalf("account %s: %v", username, err)
	}
	u, err := c.d.Store.UserByAccountID(context.Background(), a.ID)
	if err != nil {
		c.t.Fatal(err)
	}
	return u
}

var newPasswordLine = regexp.MustCompile(`New password: (\S+)`)

func passwordIn(t *testing.T, out string) string {
	t.Helper()
	m := newPasswordLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("output %q has no New password line", out)
	}
	return m[1]
}

func TestCreate(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		c := newCLI(t, st, config.RegistrationsClosed)
		out := c.mustRun("create admin --email admin@example.org --confirmed --role owner")
		if !strings.Contains(out, "OK") {
			t.Errorf("create output %q lacks OK", out)
		}
		generated := passwordIn(t, out)
		if u, err := c.d.Accounts.Authenticate(ctx, "admin@example.org", generated); err != nil || u.Role != model.RoleOwner || u.ConfirmedAt == nil || !u.Approved {
			t.Errorf("generated password: user %+v, %v; want a confirmed, approved Owner", u, err)
		}
		// Flags before the username work too, and a given password is not printed.
		out = c.mustRun("create --email bob@example.org --password hunter2hunter2 bob")
		if strings.Contains(out, "New password") || !strings.Contains(out, "unconfirmed") {
			t.Errorf("create with --password printed %q", out)
		}
		if _, err := c.d.Accounts.Authenticate(ctx, "bob@example.org", "hunter2hunter2"); err != nil {
			t.Errorf("given password: %v", err)
		}
		errTests := []struct{ line, want string }{
			{"create carol", "--email is required"},
			{"create --email c@example.org", "missing USERNAME"},
			{"create carol --email c@example.org --role King", "--role"},
			{"create BOB --email b2@example.org", "Username has already been taken"},
			{"create carol --email c@example.org --bogus", "bogus"},
			{"create carol extra --email c@example.org", "unexpected argument"},
			{"frobnicate", "unknown command \"frobnicate\""},
		}
		for _, tt := range errTests {
			if _, err := c.run(tt.line); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: %v; want an error mentioning %q", tt.line, err, tt.want)
			}
		}
	})
}

func TestCreateInApprovalMode(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		c := newCLI(t, st, config.RegistrationsApproval)
		c.mustRun("create pending --email p@example.org --confirmed")
		c.mustRun("create approved --email a@example.org --confirmed --approve")
		if c.user("pending").Approved || !c.user("approved").Approved {
			t.Errorf("approval: pending=%v approved=%v; want false, true", c.user("pending").Approved, c.user("approved").Approved)
		}
		c.mustRun("approve pending")
		if !c.user("pending").Approved {
			t.Error("approve did not approve")
		}
	})
}

func TestHelp(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		c := newCLI(t, st, config.RegistrationsOpen)
		tests := []struct {
			line string
			want []string
		}{
			{"create --help", []string{"create USERNAME", "-email", "-password", "-confirmed", "-approve", "-role"}},
			{"modify -h", []string{"-role", "-disable", "-enable", "-confirm", "-approve", "-reset-password", "-email"}},
			{"list --help", []string{"-json"}},
			{"--help", []string{"create", "list", "modify", "approve", "delete", "export", "import"}},
		}
		for _, tt := range tests {
			out := c.mustRun(tt.line)
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("%s: output lacks %q:\n%s", tt.line, w, out)
				}
			}
		}
	})
}

func TestModify(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		c := newCLI(t, st, config.RegistrationsOpen)
		c.mustRun("create dora --email dora@example.org --password first-password")
		u := c.user("dora")
		tok := &model.Token{UserID: &u.ID, Scopes: []string{"read"}}
		if err := st.Writer().InsertToken(ctx, tok, "token-hash", ""); err != nil {
			t.Fatal(err)
		}
		c.mustRun("modify dora --role Moderator --confirm --email Dora2@example.org")
		if u := c.user("dora"); u.Role != model.RoleModerator || u.ConfirmedAt == nil || u.Email != "Dora2@example.org" {
			t.Errorf("after modify: %+v", u)
		}
		c.mustRun("modify dora --role=")
		if u := c.user("dora"); u.Role != "" {
			t.Errorf("--role \"\" left role %q", u.Role)
		}
		c.mustRun("modify dora --disable")
		if !c.user("dora").Disabled || !revoked(t, st, "token-hash") {
			t.Errorf("--disable: disabled=%v; want disabled and tokens revoked", c.user("dora").Disabled)
		}
		c.mustRun("modify --enable dora")
		if c.user("dora").Disabled {
			t.Error("--enable left the user disabled")
		}
		out := c.mustRun("modify dora --reset-password")
		pw := passwordIn(t, out)
		if _, err := c.d.Accounts.Authenticate(ctx, "dora2@example.org", pw); err != nil {
			t.Errorf("reset password does not work: %v", err)
		}
		if _, err := c.d.Accounts.Authenticate(ctx, "dora2@example.org", "first-password"); !errors.Is(err, accounts.ErrBadCredentials) {
			t.Errorf("old password after reset: %v", err)
		}
		for _, line := range []string{"modify dora --disable --enable", "modify nobody --confirm", "modify dora --email not-an-address"} {
			if _, err := c.run(line); err == nil {
				t.Errorf("%s: no error", line)
			}
		}
	})
}

func revoked(t *testing.T, st *store.Store, hash string) bool {
	tok, err := st.TokenByHash(context.Background(), hash)
	if err != nil {
		t.Fatal(err)
	}
	return tok.RevokedAt != nil
}

func TestListAndDelete(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		c := newCLI(t, st, config.RegistrationsOpen)
		c.mustRun("create erin --email erin@example.org --confirmed --role Admin")
		c.mustRun("create fred --email fred@example.org")
		out := c.mustRun("list")
		for _, want := range []string{"USERNAME", "erin", "erin@example.org", "Admin", "fred", "fred@example.org"} {
			if !strings.Contains(out, want) {
				t.Errorf("list lacks %q:\n%s", want, out)
			}
		}
		var rows []listRow
		if err := json.Unmarshal([]byte(c.mustRun("list --json")), &rows); err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[0].Username != "erin" || !rows[0].Confirmed || rows[0].Role != "Admin" || rows[1].Confirmed {
			t.Errorf("list --json = %+v", rows)
		}
		c.mustRun("delete fred")
		if _, err := st.AccountByHandle(context.Background(), "fred", ""); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("fred after delete: %v", err)
		}
		if _, err := st.UserByEmail(context.Background(), "fred@example.org"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("fred's login after delete: %v", err)
		}
		if _, err := c.run("delete fred"); err == nil {
			t.Error("deleting a missing account: no error")
		}
	})
}
