package accounts

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/ipblock"
	"github.com/tuskhq/tusk/internal/store"
)

// RegistrationsSetting names the stored override of TUSK_REGISTRATIONS.
const RegistrationsSetting = "registrations"

// RegistrationsMode is the sign-up mode in force: the one an admin stored with
// "tusk admin settings registrations", else the configured one.
func (s *Service) RegistrationsMode(ctx context.Context) (string, error) {
	return RegistrationsMode(ctx, s.Store, s.Config.Registrations)
}

// RegistrationsMode is the stored sign-up mode, or configured when none is stored.
func RegistrationsMode(ctx context.Context, st *store.Store, configured string) (string, error) {
	v, err := st.InstanceSetting(ctx, RegistrationsSetting)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return configured, nil
	case err != nil:
		return "", fmt.Errorf("accounts: registrations mode: %w", err)
	case v != config.RegistrationsOpen && v != config.RegistrationsApproval && v != config.RegistrationsClosed:
		return config.RegistrationsClosed, nil // an unknown stored value takes no sign-ups rather than guessing
	}
	return v, nil
}

// SetRegistrationsMode stores the sign-up mode, overriding TUSK_REGISTRATIONS.
func SetRegistrationsMode(ctx context.Context, st *store.Store, mode string) error {
	if mode != config.RegistrationsOpen && mode != config.RegistrationsApproval && mode != config.RegistrationsClosed {
		return fmt.Errorf("accounts: %q is not a registrations mode (open, approval or closed)", mode)
	}
	return st.Writer().SetInstanceSetting(ctx, RegistrationsSetting, mode)
}

// SignUpIPSeverity is the strongest IP block covering a sign-up from addr ("" for none).
func (s *Service) SignUpIPSeverity(ctx context.Context, addr netip.Addr) (string, error) {
	if !addr.IsValid() {
		return "", nil
	}
	blocks, err := s.Store.IPBlocks(ctx)
	if err != nil {
		return "", fmt.Errorf("accounts: ip blocks: %w", err)
	}
	return ipblock.Match(blocks, addr, time.Now()), nil
}

// checkEmailDomain refuses addresses at a domain an admin blocked.
func (s *Service) checkEmailDomain(ctx context.Context, email string) error {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return nil // ValidateEmail reports the address itself
	}
	blocked, err := s.Store.EmailDomainBlocked(ctx, email[at+1:])
	if err != nil {
		return fmt.Errorf("accounts: check e-mail domain: %w", err)
	}
	if blocked {
		return Invalid("email", "ERR_BLOCKED", "is not allowed")
	}
	return nil
}
