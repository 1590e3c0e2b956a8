package store

import (
	"time"

	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
)

// windowedMerge reads a page of a timeline merged at read time from a few accounts'
// statuses, as HomeTimeline does: read(lo, hi) returns at most a page of statuses with
// ids strictly between lo and hi; the window starts at an hour and widens fourfold until
// the page is full or the window covers the whole requested range.
func windowedMerge(p Page, read func(lo, hi int64, asc bool) ([]*model.Status, error)) ([]*model.Status, error) {
	asc := p.MinID > 0
	floor := max(p.SinceID, p.MinID)
	ceil := p.MaxID
	if ceil == 0 {
		ceil = id.Lower(time.Now().Add(time.Hour)) // no status is newer
	}
	span := id.Lower(time.Unix(0, 0).Add(homeWindow))
	for {
		lo, hi := max(ceil-span, floor), ceil
		if asc {
			lo, hi = floor, min(floor+span, ceil)
		}
		out, err := read(lo, hi, asc)
		if err != nil || len(out) == p.Limit || (lo <= floor && hi >= ceil) {
			return ordered(p, out), err
		}
		span *= 4
	}
}
