// Package searchindex rebuilds the full-text index of statuses (SQLite's FTS5 table,
// PostgreSQL's tsvector column) from the statuses themselves: after a copy between
// engines, which leaves the target's index empty, or when an admin asks.
package searchindex

import (
	"context"
	"fmt"
	"strings"

	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/text"
)

// batch is how many statuses one transaction reindexes.
const batch = 500

// Text is what a status is found by: its content warning and its text. Statuses without
// source text (those from other servers) are found by the text of their HTML content.
func Text(s store.IndexSource) string {
	body := s.Text
	if strings.TrimSpace(body) == "" {
		body = text.PlainText(s.Content)
	}
	return s.SpoilerText + "\n" + body
}

// Rebuild reindexes every status, a batch per transaction, calling progress with the
// number done after each batch (progress may be nil). It returns how many it indexed.
// Running it while the instance serves is safe: each status is replaced in place.
func Rebuild(ctx context.Context, st *store.Store, progress func(done int64)) (int64, error) {
	var done, after int64
	for {
		page, err := st.IndexSources(ctx, after, batch)
		if err != nil || len(page) == 0 {
			return done, err
		}
		err = st.Tx(ctx, func(q store.Q) error {
			for _, s := range page {
				if err := q.ReindexStatus(ctx, s.ID, Text(s)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return done, fmt.Errorf("searchindex: %w", err)
		}
		done += int64(len(page))
		after = page[len(page)-1].ID
		if progress != nil {
			progress(done)
		}
	}
}
