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
	p := store.Page{Limit: exportPage, MinID: 1}
	for {
		list, cursors, err := s.Store.FollowAccounts(ctx, store.Follows, accountID, inbound, p)
		if err != nil || len(list) == 0 {
			return err
		}
		for i := len(list) - 1; i >= 0; i-- { // pages come newest first
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

// pendingFollow is what a pending following row keeps for federation.
type pendingFollow struct {
	Reblogs   bool     `json:"reblogs"`
	Notify    bool     `json:"notify"`
	Languages []string `json:"languages,omitempty"`
}

// importFollowing follows every account in the file with its options; overwriting
// unfollows the accounts the file does not name.
func (s *Service) importFollowing(ctx context.Context, acc *model.Account, rows [][]string, overwrite bool) (*Result, error) {
	res := &Result{}
	if overwrite {
		if err := s.Store.Writer().DeletePendingImports(ctx, acc.ID, "following"); err != nil {
			return nil, err
		}
	}
	listed := map[int64]bool{}
	for i, row := range rows {
		err := s.importFollow(ctx, acc, row, res, listed)
		var skip errSkip
		if errors.As(err, &skip) {
			res.skip("row %d: %s", i+1, skip.reason)
			continue
		}
		if err != nil {
			return nil, err
		}
	}
	if overwrite {
		return res, s.unfollowUnlisted(ctx, acc, listed, res)
	}
	return res, nil
}

func (s *Service) importFollow(ctx context.Context, acc *model.Account, row []string, res *Result, listed map[int64]bool) error {
	opts, err := followOptions(row)
	if err != nil {
		return err
	}
	t, err := s.resolveAccount(ctx, row[0])
	if err != nil {
		return err
	}
	if t.pending != "" {
		res.Pending++
		return s.keepPending(ctx, acc, "following", t.pending, pendingFollow{*opts.Reblogs, *opts.Notify, opts.Languages})
	}
	if _, err := s.Social.Follow(ctx, acc, t.account.ID, opts); err != nil {
		return refused(err)
	}
	listed[t.account.ID] = true
	res.Imported++
	return nil
}

// followOptions reads Show boosts, Notify on new posts and Languages (blank: defaults).
func followOptions(row []string) (social.FollowOptions, error) {
	reblogs, err := csvBool(cell(row, 1), true)
	if err != nil {
		return social.FollowOptions{}, err
	}
	notify, err := csvBool(cell(row, 2), false)
	if err != nil {
		return social.FollowOptions{}, err
	}
	var langs []string
	for _, l := range strings.Split(cell(row, 3), ",") {
		if l = strings.TrimSpace(l); l != "" {
			langs = append(langs, l)
		}
	}
	return social.FollowOptions{Reblogs: &reblogs, Notify: &notify, Languages: langs}, nil
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

func (s *Service) unfollowUnlisted(ctx context.Context, acc *model.Account, listed map[int64]bool, res *Result) error {
	var drop []int64
	err := s.eachFollow(ctx, acc.ID, false, func(a *model.Account) error {
		if !listed[a.ID] {
			drop = append(drop, a.ID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, id := range drop {
		if _, err := s.Social.Unfollow(ctx, acc, id); err != nil {
			return err
		}
		res.Removed++
	}
	return nil
}
