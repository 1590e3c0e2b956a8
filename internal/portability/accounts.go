package portability

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// address is an account's full handle as exports carry it: user@domain, local ones too,
// so the file means the same on any server.
func (s *Service) address(a *model.Account) string {
	if a.IsLocal() {
		return a.Username + "@" + s.Config.LocalDomain
	}
	return a.Acct()
}

// target is what one row names: an account known here, or a remote handle to keep pending.
type target struct {
	account *model.Account
	pending string // normalized user@domain when the remote account is not known yet
}

// errSkip explains why a row names nothing usable.
type errSkip struct{ reason string }

func (e errSkip) Error() string { return e.reason }

// resolveAccount finds the account a row's address names. Unknown remote accounts
// become pending targets; unknown local names and malformed addresses are skipped.
func (s *Service) resolveAccount(ctx context.Context, addr string) (target, error) {
	username, domain, _ := strings.Cut(strings.TrimPrefix(addr, "@"), "@")
	domain = strings.ToLower(domain)
	if username == "" || strings.ContainsAny(username, " /@") || strings.ContainsAny(domain, " /@") {
		return target{}, errSkip{"malformed account address " + quote(addr)}
	}
	local := domain == "" || domain == strings.ToLower(s.Config.LocalDomain) || domain == strings.ToLower(s.Config.WebDomain)
	if local {
		domain = ""
	}
	a, err := s.Store.AccountByHandle(ctx, username, domain)
	switch {
	case err == nil && a.SuspendedAt != nil:
		return target{}, errSkip{"account " + addr + " is suspended"}
	case err == nil:
		return target{account: a}, nil
	case !errors.Is(err, store.ErrNotFound):
		return target{}, err
	case local:
		return target{}, errSkip{"no local account " + quote(addr)}
	}
	return target{pending: strings.ToLower(username) + "@" + domain}, nil
}

// keepPending stores a row for federation to resolve later.
func (s *Service) keepPending(ctx context.Context, acc *model.Account, kind, what string, data any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	return s.Store.Writer().SavePendingImport(ctx, &store.PendingImport{AccountID: acc.ID, Kind: kind, Target: what, Data: string(b)})
}

func quote(s string) string {
	if len(s) > 100 {
		s = s[:100] + "…"
	}
	return `"` + s + `"`
}
