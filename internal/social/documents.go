package social

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/text"
)

// Document is a page of the instance's own text: its HTML and when it last changed
// (nil when the admins wrote none).
type Document struct {
	Content   string
	UpdatedAt *time.Time
}

// maxDocumentBytes bounds a document file, so a wrong path cannot fill memory.
const maxDocumentBytes = 1 << 20

// ExtendedDescription is the about page's text; empty when the admins set none.
func (s *Service) ExtendedDescription() (*Document, error) {
	if s.Config.Instance.ExtendedDescriptionFile == "" {
		return &Document{}, nil
	}
	return readDocument(s.Config.Instance.ExtendedDescriptionFile)
}

// PrivacyPolicy is the admins' policy, or tusk's own when they set none.
func (s *Service) PrivacyPolicy() (*Document, error) {
	if s.Config.Instance.PrivacyPolicyFile != "" {
		return readDocument(s.Config.Instance.PrivacyPolicyFile)
	}
	updated := defaultPolicyUpdated
	return &Document{Content: text.Format(defaultPrivacyPolicy(s.Config.LocalDomain), text.Options{}), UpdatedAt: &updated}, nil
}

// readDocument renders a file: .html and .htm are HTML (sanitized), anything else
// plain text with paragraphs and links.
func readDocument(path string) (*Document, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("social: document: %w", err)
	}
	if info.Size() > maxDocumentBytes {
		return nil, fmt.Errorf("social: document %s is larger than %d bytes", path, maxDocumentBytes)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("social: document: %w", err)
	}
	updated := info.ModTime().UTC()
	ext := strings.ToLower(filepath.Ext(path))
	if ext == ".html" || ext == ".htm" {
		return &Document{Content: text.Sanitize(string(raw)), UpdatedAt: &updated}, nil
	}
	return &Document{Content: text.Format(string(raw), text.Options{}), UpdatedAt: &updated}, nil
}

// Terms is one version of the terms of service.
type Terms struct {
	EffectiveDate string // YYYY-MM-DD
	Effective     bool
	Content       string
	SucceededBy   *string // the next version's date, if there is one
}

const dateLayout = "2006-01-02"

// TermsOfService is the version in effect on today's date (or, before the first takes
// effect, the first); with date set, the version that takes effect on that date.
// Without any terms, or without a version of that date, the answer is 404.
func (s *Service) TermsOfService(date string, now time.Time) (*Terms, error) {
	dates, files, err := s.termsVersions()
	if err != nil || len(dates) == 0 {
		return nil, errors.Join(err, ErrNotFound)
	}
	today := now.UTC().Format(dateLayout)
	i := 0
	if date != "" {
		if i = slices.Index(dates, date); i < 0 {
			return nil, ErrNotFound
		}
	} else {
		for j, d := range dates {
			if d <= today {
				i = j
			}
		}
	}
	doc, err := readDocument(files[i])
	if err != nil {
		return nil, err
	}
	t := &Terms{EffectiveDate: dates[i], Effective: dates[i] <= today, Content: doc.Content}
	if i+1 < len(dates) {
		t.SucceededBy = &dates[i+1]
	}
	return t, nil
}

// termsVersions lists the terms folder's versions by date, oldest first.
func (s *Service) termsVersions() (dates, files []string, err error) {
	dir := s.Config.Instance.TermsOfServiceDir
	if dir == "" {
		return nil, nil, nil
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("social: terms of service: %w", err)
	}
	for _, e := range entries { // ReadDir sorts by name, so by date
		name := e.Name()
		date := strings.TrimSuffix(name, filepath.Ext(name))
		if _, perr := time.Parse(dateLayout, date); perr != nil || !e.Type().IsRegular() {
			continue
		}
		dates, files = append(dates, date), append(files, filepath.Join(dir, name))
	}
	return dates, files, nil
}
