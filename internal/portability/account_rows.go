package portability

import (
	"context"
	"errors"

	"github.com/tuskhq/tusk/internal/model"
)

// accountRows is how one kind of account list (follows, blocks, mutes) is imported:
// each row names an account, then options.
type accountRows struct {
	kind string
	// options reads a row's options after its address; they are kept with pending rows.
	options func(row []string) (any, error)
	// apply makes the relation to a known account.
	apply func(ctx context.Context, acc, target *model.Account, options any) error
	// existing walks the accounts the member has this relation with now.
	existing func(ctx context.Context, acc *model.Account, fn func(*model.Account) error) error
	// remove ends the relation with one of them, for an overwriting import.
	remove func(ctx context.Context, acc *model.Account, targetID int64) error
}

// importAccounts applies each row; overwriting also ends the relation with every
// account the file does not name, and forgets earlier pending rows of the kind.
func (s *Service) importAccounts(ctx context.Context, acc *model.Account, k accountRows, rows [][]string, overwrite bool) (*Result, error) {
	res := &Result{}
	if overwrite {
		if err := s.Store.Writer().DeletePendingImports(ctx, acc.ID, k.kind); err != nil {
			return nil, err
		}
	}
	listed := map[int64]bool{}
	for i, row := range rows {
		err := s.importAccountRow(ctx, acc, k, row, res, listed)
		var skip errSkip
		if errors.As(err, &skip) {
			res.skip("row %d: %s", i+1, skip.reason)
			continue
		}
		if err != nil {
			return nil, err
		}
	}
	if !overwrite {
		return res, nil
	}
	var drop []int64
	err := k.existing(ctx, acc, func(a *model.Account) error {
		if !listed[a.ID] {
			drop = append(drop, a.ID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, id := range drop {
		if err := k.remove(ctx, acc, id); err != nil {
			return nil, err
		}
		res.Removed++
	}
	return res, nil
}

func (s *Service) importAccountRow(ctx context.Context, acc *model.Account, k accountRows, row []string, res *Result, listed map[int64]bool) error {
	opts, err := k.options(row)
	if err != nil {
		return err
	}
	t, err := s.resolveAccount(ctx, row[0])
	if err != nil {
		return err
	}
	if t.pending != "" {
		res.Pending++
		return s.keepPending(ctx, acc, k.kind, t.pending, opts)
	}
	if t.account.ID == acc.ID {
		return errSkip{"the row names the member themselves"}
	}
	if err := k.apply(ctx, acc, t.account, opts); err != nil {
		return refused(err)
	}
	listed[t.account.ID] = true
	res.Imported++
	return nil
}
