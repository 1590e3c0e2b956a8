package portability

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
)

// exportPage is how many rows an export reads per query.
const exportPage = 200

func (s *Service) followingKind() Kind {
	return Kind{Name: "following", FileName: "following_accounts.csv",
		Header: []string{"Account address", "Show boosts", "Notify on new posts", "Languages"},
		Export: s.exportFollowing, Import: s.importFollowing}
}

func (s *Service) followersKind() Kind {
	return Kind{Name: "followers", FileName: "followers_accounts.csv", Header: []string{"Account address"},
		Export: func(ctx context.Context, acc *model.Account, emit func([]string) error) error {
			return s.eachFollow(ctx, acc.ID, true, func(a *model.Account) error { return emit([]string{s.address(a)}) })
		}}
}

// eachFollow calls fn for every account acc follows (or, inbound, that follows acc),
// oldest follow first, so that importing an export replays the follows in their order.
func (s *Service) eachFollow(ctx context.Context, accountID int64, inbound bool, fn func(*model.Account) error) error {
	return s.eachRelated(ctx, store.Follows, accountID, inbound, fn)
}

// eachRelated walks the accounts related to accountID by a follows-shaped table
// (follows, blocks), oldest row first.
func (s *Service) eachRelated(ctx context.Context, table string, accountID int64, inbound bool, fn func(*model.Account) error) error {
	return eachPage(func(p store.Page) ([]*model.Account, []int64, error) {
		return s.Store.FollowAccounts(ctx, table, accountID, inbound, p)
	}, fn)
}

// eachPage walks a cursor-paged query from its oldest row: fetch answers a page newest
// first with its cursors, as every list query of the store does.
func eachPage[T any](fetch func(store.Page) ([]T, []int64, error), fn func(T) error) error {
	p := store.Page{Limit: exportPage, MinID: 1}
	for {
		list, cursors, err := fetch(p)
		if err != nil || len(list) == 0 {
			return err
		}
		for i := len(list) - 1; i >= 0; i-- {
			if err := fn(list[i]); err != nil {
				return err
			}
		}
		p.MinID = cursors[0]
	}
}

func (s *Service) exportFollowing(ctx context.Context, acc *model.Account, emit func([]string) error) error {
	return s.eachFollow(ctx, acc.ID, false, func(a *model.Account) error {
		follows, err := s.Store.FollowingSet(ctx, store.Follows, acc.ID, []int64{a.ID})
		if err != nil {
			return err
		}
		f := follows[a.ID]
		if f == nil { // unfollowed meanwhile
			return nil
		}
		return emit([]string{s.address(a), strconv.FormatBool(f.ShowReblogs), strconv.FormatBool(f.Notify), strings.Join(f.Languages, ",")})
	})
}

// followRow is a following row's options, as kept with a pending row too.
type followRow struct {
	Reblogs   bool     `json:"reblogs"`
	Notify    bool     `json:"notify"`
	Languages []string `json:"languages,omitempty"`
}

// followingRows follows every account in the file with its options; overwriting
// unfollows the accounts the file does not name.
func (s *Service) followingRows() accountRows {
	return accountRows{kind: "following",
		options: func(row []string) (any, error) { return followOptions(row) },
		apply: func(ctx context.Context, acc, target *model.Account, o any) error {
			r := o.(followRow)
			_, err := s.Social.Follow(ctx, acc, target.ID, social.FollowOptions{Reblogs: &r.Reblogs, Notify: &r.Notify, Languages: r.Languages})
			return err
		},
		existing: func(ctx context.Context, acc *model.Account, fn func(*model.Account) error) error {
			return s.eachFollow(ctx, acc.ID, false, fn)
		},
		remove: func(ctx context.Context, acc *model.Account, id int64) error {
			_, err := s.Social.Unfollow(ctx, acc, id)
			return err
		}}
}

func (s *Service) importFollowing(ctx context.Context, acc *model.Account, rows [][]string, overwrite bool) (*Result, error) {
	return s.importAccounts(ctx, acc, s.followingRows(), rows, overwrite)
}

// followOptions reads Show boosts, Notify on new posts and Languages (blank: defaults).
func followOptions(row []string) (followRow, error) {
	reblogs, err := csvBool(cell(row, 1), true)
	if err != nil {
		return followRow{}, err
	}
	notify, err := csvBool(cell(row, 2), false)
	if err != nil {
		return followRow{}, err
	}
	var langs []string
	for _, l := range strings.Split(cell(row, 3), ",") {
		if l = strings.TrimSpace(l); l != "" {
			langs = append(langs, l)
		}
	}
	return followRow{Reblogs: reblogs, Notify: notify, Languages: langs}, nil
}

func csvBool(v string, def bool) (bool, error) {
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(strings.ToLower(v))
	if err != nil {
		return false, errSkip{"not true or false: " + quote(v)}
	}
	return b, nil
}

// refused turns a rule's refusal (a client error such as following oneself) into a
// skipped row; anything else stays a failure.
func refused(err error) error {
	var he *httpx.Error
	if errors.As(err, &he) && he.Code >= 400 && he.Code < 500 {
		return errSkip{he.Msg}
	}
	return err
}
