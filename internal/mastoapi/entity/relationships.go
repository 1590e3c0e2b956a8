package entity

import (
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
)

// MutedAccount is an Account in the mute list, with when the mute ends (null: never).
type MutedAccount struct {
	Account
	MuteExpiresAt *string `json:"mute_expires_at"`
}

// MutedAccount renders an account with its mute.
func (r Renderer) MutedAccount(a *model.Account, m *model.Mute) MutedAccount {
	return MutedAccount{Account: r.Account(a), MuteExpiresAt: timestampPtr(m.ExpiresAt)}
}

// FamiliarFollowers is Mastodon's FamiliarFollowers entity.
type FamiliarFollowers struct {
	ID       string    `json:"id"`
	Accounts []Account `json:"accounts"`
}

// FamiliarFollowers renders the followers of one account that the viewer follows.
func (r Renderer) FamiliarFollowers(accountID int64, accounts []*model.Account) FamiliarFollowers {
	return FamiliarFollowers{ID: id.Format(accountID), Accounts: r.Accounts(accounts)}
}
