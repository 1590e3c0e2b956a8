// Package portability moves a member's social graph and saved statuses in and out of
// tusk as the CSV files of Mastodon's export and import pages, so a member can bring
// them from another server and take them elsewhere.
//
// Each kind of file is one Kind: its name, Mastodon's file name and header, and an
// exporter and (unless export-only) an importer. Adding a kind is one adapter in its
// own file and one line in builtinKinds.
package portability

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
)

// Service exports and imports one member's data.
type Service struct {
	Social *social.Service
	Store  *store.Store
	Config config.Config
	kinds  map[string]Kind
}

// New builds the service with every kind tusk can move.
func New(svc *social.Service) *Service {
	s := &Service{Social: svc, Store: svc.Store, Config: svc.Config, kinds: map[string]Kind{}}
	for _, k := range s.builtinKinds() {
		s.Register(k)
	}
	return s
}

// builtinKinds lists every kind, one adapter each.
func (s *Service) builtinKinds() []Kind {
	return []Kind{s.followingKind(), s.followersKind(), s.bookmarksKind(), s.blocksKind(), s.mutesKind(),
		s.domainBlocksKind(), s.listsKind()}
}

// Kind is one exportable (and maybe importable) file.
type Kind struct {
	Name     string   // as the CLI's --kind takes it: following, bookmarks …
	FileName string   // Mastodon's name for the export, e.g. following_accounts.csv
	Header   []string // the first row Mastodon writes, or nil when its file has none
	// Export writes every row of acc's data through emit.
	Export func(ctx context.Context, acc *model.Account, emit func(row []string) error) error
	// Import applies the rows (header removed) for acc; nil for export-only kinds.
	// Overwrite makes the data equal to the file; otherwise the file is merged in.
	Import func(ctx context.Context, acc *model.Account, rows [][]string, overwrite bool) (*Result, error)
}

// Register adds or replaces a kind.
func (s *Service) Register(k Kind) { s.kinds[k.Name] = k }

// Kinds names the registered kinds, sorted.
func (s *Service) Kinds() []string {
	names := make([]string, 0, len(s.kinds))
	for n := range s.kinds {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Lookup returns a kind by name.
func (s *Service) Lookup(name string) (Kind, error) {
	k, ok := s.kinds[name]
	if !ok {
		return Kind{}, fmt.Errorf("unknown kind %q (want one of %s)", name, strings.Join(s.Kinds(), ", "))
	}
	return k, nil
}

// Result counts what an import did with its rows.
type Result struct {
	Imported int      // applied now
	Pending  int      // naming remote accounts or statuses not known yet, kept for federation
	Skipped  int      // refused: unknown local names, malformed rows, rules (self-follow …)
	Removed  int      // taken away by an overwriting import
	Problems []string // why rows were skipped, the first maxProblems of them
}

const maxProblems = 50

func (r *Result) skip(format string, args ...any) {
	r.Skipped++
	if len(r.Problems) < maxProblems {
		r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
	}
}

// ErrExportOnly is returned when importing a kind that can only be exported.
var ErrExportOnly = errors.New("this kind can only be exported")

// Export writes acc's data of kind to w as Mastodon's CSV.
func (s *Service) Export(ctx context.Context, acc *model.Account, kind string, w io.Writer) error {
	k, err := s.Lookup(kind)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if k.Header != nil {
		if err := cw.Write(k.Header); err != nil {
			return err
		}
	}
	if err := k.Export(ctx, acc, cw.Write); err != nil {
		return fmt.Errorf("export %s: %w", kind, err)
	}
	cw.Flush()
	return cw.Error()
}

// Import reads Mastodon's CSV of kind from r and applies it to acc.
func (s *Service) Import(ctx context.Context, acc *model.Account, kind string, r io.Reader, overwrite bool) (*Result, error) {
	k, err := s.Lookup(kind)
	if err != nil {
		return nil, err
	}
	if k.Import == nil {
		return nil, fmt.Errorf("%s: %w", kind, ErrExportOnly)
	}
	rows, err := readRows(r, k.Header)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", kind, err)
	}
	res, err := k.Import(ctx, acc, rows, overwrite)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", kind, err)
	}
	return res, nil
}

// maxRows bounds one file, as Mastodon bounds its imports.
const maxRows = 20000

// readRows parses the CSV leniently (files are often written by hand or other tools),
// trimming cells and dropping blank lines and the header row when present.
func readRows(r io.Reader, header []string) ([][]string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.TrimLeadingSpace = true
	var rows [][]string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		if len(rec) == 0 || slices.Equal(rec, []string{""}) {
			continue
		}
		if len(rows) == 0 && header != nil && strings.EqualFold(rec[0], header[0]) {
			continue
		}
		if len(rows) == maxRows {
			return nil, fmt.Errorf("more than %d rows", maxRows)
		}
		rows = append(rows, rec)
	}
}

// cell is row[i], or "" past its end.
func cell(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}
