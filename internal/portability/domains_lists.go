package portability

import (
	"context"
	"encoding/csv"
	"errors"
	"strings"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
)

// domainBlocksKind is blocked_domains.csv: one domain a line, no header.
func (s *Service) domainBlocksKind() Kind {
	return Kind{Name: "domain_blocks", FileName: "blocked_domains.csv",
		Export: func(ctx context.Context, acc *model.Account, emit func([]string) error) error {
			return s.eachDomainBlock(ctx, acc.ID, func(d string) error { return emit([]string{d}) })
		},
		Import: s.importDomainBlocks}
}

func (s *Service) eachDomainBlock(ctx context.Context, accountID int64, fn func(string) error) error {
	return eachPage(func(p store.Page) ([]string, []int64, error) { return s.Store.DomainBlocks(ctx, accountID, p) }, fn)
}

// importDomainBlocks blocks every domain in the file; overwriting lifts the others.
func (s *Service) importDomainBlocks(ctx context.Context, acc *model.Account, rows [][]string, overwrite bool) (*Result, error) {
	res := &Result{}
	listed := map[string]bool{}
	for i, row := range rows {
		name, err := social.DomainBlockName(row[0])
		if err == nil {
			err = s.Social.BlockDomain(ctx, acc, row[0])
		}
		var skip errSkip
		if errors.As(refused(err), &skip) {
			res.skip("row %d: %s", i+1, skip.reason)
			continue
		}
		if err != nil {
			return nil, err
		}
		listed[name] = true
		res.Imported++
	}
	if !overwrite {
		return res, nil
	}
	var drop []string
	if err := s.eachDomainBlock(ctx, acc.ID, func(d string) error {
		if !listed[d] {
			drop = append(drop, d)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	for _, d := range drop {
		if err := s.Social.UnblockDomain(ctx, acc, d); err != nil {
			return nil, err
		}
		res.Removed++
	}
	return res, nil
}

// listsKind is lists.csv: rows of list title and member address, no header.
func (s *Service) listsKind() Kind {
	return Kind{Name: "lists", FileName: "lists.csv", Export: s.exportLists, Import: s.importLists}
}

func (s *Service) exportLists(ctx context.Context, acc *model.Account, emit func([]string) error) error {
	lists, err := s.Store.ListsOf(ctx, acc.ID)
	if err != nil {
		return err
	}
	for _, l := range lists {
		err := eachPage(func(p store.Page) ([]*model.Account, []int64, error) { return s.Store.ListAccounts(ctx, l.ID, p) },
			func(a *model.Account) error { return emit([]string{l.Title, s.address(a)}) })
		if err != nil {
			return err
		}
	}
	return nil
}

// listImport is one lists import under way: the member's lists by title, and which
// members the file names in each.
type listImport struct {
	acc     *model.Account
	byTitle map[string]*model.List
	listed  map[int64]map[int64]bool
	res     *Result
}

// importLists puts each named account in the named list, creating lists as needed and
// following the account first, as a list holds only followed accounts (Mastodon's
// import does the same). Overwriting deletes the lists the file does not name and
// takes out of the others the accounts it does not name.
func (s *Service) importLists(ctx context.Context, acc *model.Account, rows [][]string, overwrite bool) (*Result, error) {
	lists, err := s.Store.ListsOf(ctx, acc.ID)
	if err != nil {
		return nil, err
	}
	li := &listImport{acc: acc, byTitle: map[string]*model.List{}, listed: map[int64]map[int64]bool{}, res: &Result{}}
	for _, l := range lists {
		li.byTitle[l.Title] = l
	}
	if overwrite {
		if err := s.Store.Writer().DeletePendingImports(ctx, acc.ID, "lists"); err != nil {
			return nil, err
		}
	}
	for i, row := range rows {
		err := s.importListRow(ctx, li, row)
		var skip errSkip
		if errors.As(err, &skip) {
			li.res.skip("row %d: %s", i+1, skip.reason)
			continue
		}
		if err != nil {
			return nil, err
		}
	}
	if overwrite {
		return li.res, s.pruneLists(ctx, li)
	}
	return li.res, nil
}

func (s *Service) importListRow(ctx context.Context, li *listImport, row []string) error {
	title, addr := strings.TrimSpace(row[0]), cell(row, 1)
	if title == "" || addr == "" {
		return errSkip{"a row needs a list title and an account address"}
	}
	t, err := s.resolveAccount(ctx, addr)
	if err != nil {
		return err
	}
	l, err := s.listNamed(ctx, li, title)
	if err != nil {
		return err
	}
	if t.pending != "" {
		li.res.Pending++
		return s.keepPending(ctx, li.acc, "lists", csvLine(title, t.pending), map[string]string{"list": title})
	}
	if err := s.followForList(ctx, li.acc, t.account); err != nil {
		return err
	}
	in, err := s.Social.ListsWithAccount(ctx, li.acc, t.account.ID)
	if err != nil {
		return err
	}
	if !containsList(in, l.ID) {
		if err := s.Social.AddToList(ctx, li.acc, l.ID, []int64{t.account.ID}); err != nil {
			return refused(err)
		}
	}
	if li.listed[l.ID] == nil {
		li.listed[l.ID] = map[int64]bool{}
	}
	li.listed[l.ID][t.account.ID] = true
	li.res.Imported++
	return nil
}

func containsList(lists []*model.List, id int64) bool {
	for _, l := range lists {
		if l.ID == id {
			return true
		}
	}
	return false
}

// listNamed finds the member's list of that title, creating it the first time.
func (s *Service) listNamed(ctx context.Context, li *listImport, title string) (*model.List, error) {
	if l := li.byTitle[title]; l != nil {
		return l, nil
	}
	l, err := s.Social.CreateList(ctx, li.acc, social.ListChange{Title: &title})
	if err != nil {
		return nil, refused(err)
	}
	li.byTitle[title] = l
	return l, nil
}

// followForList follows target unless the member already does; a pending request (to a
// locked account, or to any remote account until its server accepts) cannot go into a
// list yet.
func (s *Service) followForList(ctx context.Context, acc, target *model.Account) error {
	if target.ID == acc.ID {
		return nil
	}
	rel, err := s.Social.Follow(ctx, acc, target.ID, social.FollowOptions{})
	if err != nil {
		return refused(err)
	}
	switch {
	case rel.Following:
	case !target.IsLocal():
		return errSkip{target.Acct() + ": a follow request was sent to their server; add them to the list once it is accepted"}
	default:
		return errSkip{target.Acct() + " approves followers: a follow request was sent; add them to the list once it is accepted"}
	}
	return nil
}

func (s *Service) pruneLists(ctx context.Context, li *listImport) error {
	for _, l := range li.byTitle {
		if li.listed[l.ID] == nil {
			if err := s.Social.DeleteList(ctx, li.acc, l.ID); err != nil {
				return err
			}
			li.res.Removed++
			continue
		}
		var drop []int64
		err := eachPage(func(p store.Page) ([]*model.Account, []int64, error) { return s.Store.ListAccounts(ctx, l.ID, p) },
			func(a *model.Account) error {
				if !li.listed[l.ID][a.ID] {
					drop = append(drop, a.ID)
				}
				return nil
			})
		if err != nil {
			return err
		}
		if len(drop) > 0 {
			if err := s.Social.RemoveFromList(ctx, li.acc, l.ID, drop); err != nil {
				return err
			}
			li.res.Removed += len(drop)
		}
	}
	return nil
}

// csvLine joins cells as one CSV line: a pending list row's key, title and address.
func csvLine(cells ...string) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write(cells)
	w.Flush()
	return strings.TrimSuffix(b.String(), "\n")
}
