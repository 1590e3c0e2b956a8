package accounts

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

func newService(s *store.Store) *Service {
	cfg := config.Config{LocalDomain: "example.test", WebDomain: "example.test", LocalHTTPS: true}
	return &Service{Store: s, Config: cfg, PasswordCost: bcrypt.MinCost}
}

func TestValidateUsername(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		code string // "" means valid
	}{
		{"alice", ""},
		{"Alice_99", ""},
		{"_", ""},
		{strings.Repeat("a", 30), ""},
		{strings.Repeat("a", 31), "ERR_TOO_LONG"},
		{"", "ERR_BLANK"},
		{"al ice", "ERR_INVALID"},
		{"al-ice", "ERR_INVALID"},
		{"al.ice", "ERR_INVALID"},
		{"alice@example.com", "ERR_INVALID"},
		{"élodie", "ERR_INVALID"},
	}
	for _, tt := range tests {
		err := ValidateUsername(tt.in)
		if got := codeOf(err); got != tt.code {
			t.Errorf("ValidateUsername(%q) = %v; want code %q", tt.in, err, tt.code)
		}
	}
}

func TestValidatePasswordAndEmail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		code string
	}{
		{"short password", ValidatePassword("1234567"), "ERR_TOO_SHORT"},
		{"8 bytes", ValidatePassword("12345678"), ""},
		{"72 bytes", ValidatePassword(strings.Repeat("x", 72)), ""},
		{"73 bytes", ValidatePassword(strings.Repeat("x", 73)), "ERR_TOO_LONG"},
		{"blank password", ValidatePassword(""), "ERR_BLANK"},
		{"email ok", ValidateEmail("a.b+c@mail.example.org"), ""},
		{"email no at", ValidateEmail("alice.example.org"), "ERR_INVALID"},
		{"email no dot", ValidateEmail("alice@localhost"), "ERR_INVALID"},
		{"email space", ValidateEmail("al ice@example.org"), "ERR_INVALID"},
		{"email blank", ValidateEmail(""), "ERR_BLANK"},
		{"role bogus", ValidateRole("God"), "ERR_INCLUSION"},
		{"role admin", ValidateRole(model.RoleAdmin), ""},
	}
	for _, tt := range tests {
		if got := codeOf(tt.err); got != tt.code {
			t.Errorf("%s: got %v; want code %q", tt.name, tt.err, tt.code)
		}
	}
}

func codeOf(err error) string {
	if err == nil {
		return ""
	}
	v := asValidation(err)
	if v == nil || len(v.Fields) == 0 {
		return "not a validation error: " + err.Error()
	}
	return v.Fields[0].Code
}

func TestCreate(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := newService(s)
		a, u, err := svc.Create(ctx, CreateParams{Username: "Alice", Email: "Alice@Example.org",
			Password: "correct horse", Confirmed: true, Approved: true})
		if err != nil {
			t.Fatalf("Create: %v", err)
		}
		if a.URI != "https://example.test/users/Alice" || a.URL != "https://example.test/@Alice" || !a.Discoverable {
			t.Errorf("account = %+v; want URI, URL and discoverable set", a)
		}
		if u.AccountID != a.ID || u.ConfirmedAt == nil || !u.Approved {
			t.Errorf("user = %+v; want linked, confirmed, approved", u)
		}
		if u.PasswordHash == "correct horse" || !strings.HasPrefix(u.PasswordHash, "$2") {
			t.Errorf("password stored as %q; want a bcrypt hash", u.PasswordHash)
		}
		tests := []struct {
			name  string
			p     CreateParams
			field string
			code  string
		}{
			{"username taken, other case", CreateParams{Username: "aLICE", Email: "b@example.org", Password: "12345678"}, "username", "ERR_TAKEN"},
			{"email taken, other case", CreateParams{Username: "bob", Email: "alice@EXAMPLE.org", Password: "12345678"}, "email", "ERR_TAKEN"},
			{"reserved", CreateParams{Username: "Admin", Email: "c@example.org", Password: "12345678"}, "username", "ERR_RESERVED"},
			{"bad password", CreateParams{Username: "carol", Email: "c@example.org", Password: "short"}, "password", "ERR_TOO_SHORT"},
			{"bad role", CreateParams{Username: "carol", Email: "c@example.org", Password: "12345678", Role: "king"}, "role", "ERR_INCLUSION"},
		}
		for _, tt := range tests {
			_, _, err := svc.Create(ctx, tt.p)
			v := asValidation(err)
			if v == nil || !v.Has(tt.field) || v.Fields[0].Code != tt.code {
				t.Errorf("%s: Create = %v; want %s %s", tt.name, err, tt.field, tt.code)
			}
		}
		if _, _, err := svc.Create(ctx, CreateParams{Username: "admin", Email: "root@example.org",
			Password: "12345678", AllowReserved: true}); err != nil {
			t.Errorf("Create reserved with AllowReserved: %v", err)
		}
	})
}

func TestValidationErrorShape(t *testing.T) {
	t.Parallel()
	v := Invalid("username", "ERR_TAKEN", "has already been taken")
	v.Add(Invalid("email", "ERR_INVALID", "is invalid"))
	if got, want := v.Error(), "Validation failed: Username has already been taken, Email is invalid"; got != want {
		t.Errorf("Error() = %q; want %q", got, want)
	}
	d := v.Details()
	if d["username"][0]["error"] != "ERR_TAKEN" || d["email"][0]["description"] != "is invalid" {
		t.Errorf("Details() = %v", d)
	}
}

func TestCreateIsAtomic(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := newService(s)
		if _, _, err := svc.Create(ctx, CreateParams{Username: "first", Email: "same@example.org", Password: "12345678"}); err != nil {
			t.Fatal(err)
		}
		// Skip Validate, as a concurrent sign-up would slip past it: the user insert
		// fails on the unique e-mail index and must take the account with it.
		a := svc.newAccount("second")
		err := svc.insert(ctx, a, &model.User{Email: "SAME@example.org"})
		if v := asValidation(err); v == nil || !v.Has("email") {
			t.Fatalf("insert = %v; want email taken", err)
		}
		if _, err := s.AccountByHandle(ctx, "second", ""); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("AccountByHandle(second) = %v; want ErrNotFound after rollback", err)
		}
	})
}

func TestAuthenticateAndSetPassword(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := newService(s)
		_, u, err := svc.Create(ctx, CreateParams{Username: "dora", Email: "dora@example.org", Password: "first password"})
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			email, password string
			ok              bool
		}{
			{"dora@example.org", "first password", true},
			{"DORA@example.org", "first password", true},
			{"dora@example.org", "First password", false},
			{"nobody@example.org", "first password", false},
			{"dora@example.org", "", false},
		}
		for _, tt := range tests {
			got, err := svc.Authenticate(ctx, tt.email, tt.password)
			if tt.ok && (err != nil || got.ID != u.ID) {
				t.Errorf("Authenticate(%q, %q) = %v, %v; want user %d", tt.email, tt.password, got, err, u.ID)
			}
			if !tt.ok && !errors.Is(err, ErrBadCredentials) {
				t.Errorf("Authenticate(%q, %q) = %v; want ErrBadCredentials", tt.email, tt.password, err)
			}
		}
		tok := &model.Token{UserID: &u.ID, Scopes: []string{"read"}}
		if err := s.Writer().InsertToken(ctx, tok, "hash-1", ""); err != nil {
			t.Fatal(err)
		}
		if err := svc.SetPassword(ctx, u.ID, "second password"); err != nil {
			t.Fatalf("SetPassword: %v", err)
		}
		if _, err := svc.Authenticate(ctx, "dora@example.org", "first password"); !errors.Is(err, ErrBadCredentials) {
			t.Errorf("old password still works: %v", err)
		}
		if _, err := svc.Authenticate(ctx, "dora@example.org", "second password"); err != nil {
			t.Errorf("new password refused: %v", err)
		}
		if got, err := s.TokenByHash(ctx, "hash-1"); err != nil || got.RevokedAt == nil {
			t.Errorf("token after SetPassword = %+v, %v; want revoked", got, err)
		}
	})
}

func TestCanSignIn(t *testing.T) {
	t.Parallel()
	now := mustNow()
	tests := []struct {
		name string
		u    model.User
		a    model.Account
		want error
	}{
		{"ok", model.User{ConfirmedAt: now, Approved: true}, model.Account{}, nil},
		{"unconfirmed", model.User{Approved: true}, model.Account{}, ErrUnconfirmed},
		{"pending", model.User{ConfirmedAt: now}, model.Account{}, ErrPending},
		{"disabled", model.User{ConfirmedAt: now, Approved: true, Disabled: true}, model.Account{}, ErrDisabled},
		{"suspended", model.User{ConfirmedAt: now, Approved: true}, model.Account{SuspendedAt: now}, ErrSuspended},
	}
	for _, tt := range tests {
		if got := CanSignIn(&tt.u, &tt.a); !errors.Is(got, tt.want) {
			t.Errorf("%s: CanSignIn = %v; want %v", tt.name, got, tt.want)
		}
	}
}

func mustNow() *time.Time {
	now := time.Now()
	return &now
}
