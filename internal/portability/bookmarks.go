package portability

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// bookmarksKind is a file of status URIs, one a line, without a header, as Mastodon's.
func (s *Service) bookmarksKind() Kind {
	return Kind{Name: "bookmarks", FileName: "bookmarks.csv", Export: s.exportBookmarks, Import: s.importBookmarks}
}

// exportBookmarks writes the oldest bookmark first, so an import keeps their order.
func (s *Service) exportBookmarks(ctx context.Context, acc *model.Account, emit func([]string) error) error {
	return s.eachBookmark(ctx, acc.ID, func(st *model.Status) error { return emit([]string{st.URI}) })
}

func (s *Service) eachBookmark(ctx context.Context, accountID int64, fn func(*model.Status) error) error {
	return eachPage(func(p store.Page) ([]*model.Status, []int64, error) {
		return s.Store.MarkedStatuses(ctx, store.Bookmarks, accountID, p)
	}, fn)
}

// importBookmarks bookmarks every status in the file the member may see; overwriting
// removes the bookmarks the file does not name.
func (s *Service) importBookmarks(ctx context.Context, acc *model.Account, rows [][]string, overwrite bool) (*Result, error) {
	res := &Result{}
	if overwrite {
		if err := s.Store.Writer().DeletePendingImports(ctx, acc.ID, "bookmarks"); err != nil {
			return nil, err
		}
	}
	listed := map[int64]bool{}
	for i, row := range rows {
		err := s.importBookmark(ctx, acc, row[0], res, listed)
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
		return res, s.unbookmarkUnlisted(ctx, acc, listed, res)
	}
	return res, nil
}

func (s *Service) importBookmark(ctx context.Context, acc *model.Account, uri string, res *Result, listed map[int64]bool) error {
	u, err := url.Parse(uri)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return errSkip{"not a status URL: " + quote(uri)}
	}
	st, err := s.statusByURI(ctx, uri, u)
	if errors.Is(err, store.ErrNotFound) {
		if s.isLocalHost(u.Host) {
			return errSkip{"no such status " + quote(uri)}
		}
		res.Pending++
		return s.keepPending(ctx, acc, "bookmarks", uri, struct{}{})
	}
	if err != nil {
		return err
	}
	if _, err := s.Social.Bookmark(ctx, acc, st.ID); err != nil {
		var skip errSkip
		if errors.As(refused(err), &skip) {
			return errSkip{"status " + quote(uri) + " is not visible to the member"}
		}
		return err
	}
	listed[st.ID] = true
	res.Imported++
	return nil
}

// statusByURI finds a status by its URI, or a local one by its web URL (…/@user/ID).
func (s *Service) statusByURI(ctx context.Context, uri string, u *url.URL) (*model.Status, error) {
	st, err := s.Store.StatusByURI(ctx, uri)
	if !errors.Is(err, store.ErrNotFound) || !s.isLocalHost(u.Host) {
		return st, err
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) != 2 || !strings.HasPrefix(parts[0], "@") {
		return nil, err
	}
	statusID, ok := id.Parse(parts[1])
	if !ok {
		return nil, err
	}
	st, err = s.Store.StatusByID(ctx, statusID)
	if err == nil && !strings.EqualFold(st.URL, uri) {
		return nil, store.ErrNotFound
	}
	return st, err
}

func (s *Service) isLocalHost(host string) bool {
	return strings.EqualFold(host, s.Config.LocalDomain) || strings.EqualFold(host, s.Config.WebDomain)
}

func (s *Service) unbookmarkUnlisted(ctx context.Context, acc *model.Account, listed map[int64]bool, res *Result) error {
	var drop []int64
	err := s.eachBookmark(ctx, acc.ID, func(st *model.Status) error {
		if !listed[st.ID] {
			drop = append(drop, st.ID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, statusID := range drop {
		if _, err := s.Store.Writer().RemoveMark(ctx, store.Bookmarks, acc.ID, statusID); err != nil {
			return err
		}
		res.Removed++
	}
	return nil
}
