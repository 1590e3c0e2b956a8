package portability

import (
	"context"
	"strconv"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
)

// blocksKind is blocked_accounts.csv: one address a line, no header.
func (s *Service) blocksKind() Kind {
	rows := accountRows{kind: "blocks",
		options: func([]string) (any, error) { return struct{}{}, nil },
		apply: func(ctx context.Context, acc, target *model.Account, _ any) error {
			_, err := s.Social.Block(ctx, acc, target.ID)
			return err
		},
		existing: func(ctx context.Context, acc *model.Account, fn func(*model.Account) error) error {
			return s.eachRelated(ctx, store.Blocks, acc.ID, false, fn)
		},
		remove: func(ctx context.Context, acc *model.Account, id int64) error {
			_, err := s.Social.Unblock(ctx, acc, id)
			return err
		}}
	return Kind{Name: "blocks", FileName: "blocked_accounts.csv",
		Export: func(ctx context.Context, acc *model.Account, emit func([]string) error) error {
			return rows.existing(ctx, acc, func(a *model.Account) error { return emit([]string{s.address(a)}) })
		},
		Import: func(ctx context.Context, acc *model.Account, r [][]string, overwrite bool) (*Result, error) {
			return s.importAccounts(ctx, acc, rows, r, overwrite)
		}}
}

// muteRow is a mutes row's option, as kept with a pending row too.
type muteRow struct {
	HideNotifications bool `json:"hide_notifications"`
}

// mutesKind is muted_accounts.csv: the address and whether notifications are hidden
// too (Mastodon's default when blank). Mutes with an end are exported as lasting ones,
// as the file has no column for the end.
func (s *Service) mutesKind() Kind {
	rows := accountRows{kind: "mutes",
		options: func(row []string) (any, error) {
			hide, err := csvBool(cell(row, 1), true)
			return muteRow{hide}, err
		},
		apply: func(ctx context.Context, acc, target *model.Account, o any) error {
			_, err := s.Social.Mute(ctx, acc, target.ID, social.MuteOptions{Notifications: o.(muteRow).HideNotifications})
			return err
		},
		existing: func(ctx context.Context, acc *model.Account, fn func(*model.Account) error) error {
			return s.eachMute(ctx, acc.ID, func(a *model.Account, _ *model.Mute) error { return fn(a) })
		},
		remove: func(ctx context.Context, acc *model.Account, id int64) error {
			_, err := s.Social.Unmute(ctx, acc, id)
			return err
		}}
	return Kind{Name: "mutes", FileName: "muted_accounts.csv", Header: []string{"Account address", "Hide notifications"},
		Export: func(ctx context.Context, acc *model.Account, emit func([]string) error) error {
			return s.eachMute(ctx, acc.ID, func(a *model.Account, m *model.Mute) error {
				return emit([]string{s.address(a), strconv.FormatBool(m.HideNotifications)})
			})
		},
		Import: func(ctx context.Context, acc *model.Account, r [][]string, overwrite bool) (*Result, error) {
			return s.importAccounts(ctx, acc, rows, r, overwrite)
		}}
}

// mutedAccount pairs an account with the member's mute of it, for paging.
type mutedAccount struct {
	account *model.Account
	mute    *model.Mute
}

func (s *Service) eachMute(ctx context.Context, accountID int64, fn func(*model.Account, *model.Mute) error) error {
	return eachPage(func(p store.Page) ([]mutedAccount, []int64, error) {
		accounts, mutes, err := s.Store.MutedAccounts(ctx, accountID, time.Now(), p)
		out, cursors := make([]mutedAccount, len(accounts)), make([]int64, len(accounts))
		for i := range accounts {
			out[i], cursors[i] = mutedAccount{accounts[i], mutes[i]}, mutes[i].ID
		}
		return out, cursors, err
	}, func(m mutedAccount) error { return fn(m.account, m.mute) })
}
