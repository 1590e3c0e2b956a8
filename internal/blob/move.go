package blob

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Categories are the key prefixes media lives under, and what each holds.
var Categories = []struct{ Prefix, Name string }{
	{"media_attachments/", "attachments"},
	{"accounts/", "avatars and headers"},
	{"emoji/", "custom emoji"},
	{"cache/", "remote media cache"},
	{"uploads/", "pending uploads"},
}

// CategoryOf names the category of key ("other" outside the known prefixes).
func CategoryOf(key string) string {
	for _, c := range Categories {
		if strings.HasPrefix(key, c.Prefix) {
			return c.Name
		}
	}
	return "other"
}

// Usage is the object count and bytes of one category.
type Usage struct {
	Objects int
	Bytes   int64
}

// UsageOf sums objects by category.
func UsageOf(objects []Info) map[string]Usage {
	out := map[string]Usage{}
	for _, o := range objects {
		u := out[CategoryOf(o.Key)]
		u.Objects++
		u.Bytes += o.Size
		out[CategoryOf(o.Key)] = u
	}
	return out
}

// Move moves every object from one backend to another while the instance runs:
//  1. it records the target as active with the source as fallback, so servers write new
//     objects to the target and read from the target, then the source;
//  2. it waits Settle for every server to pick that up (their Switch.Interval);
//  3. it copies and verifies every object, then copies again whatever appeared in the
//     meantime;
//  4. it records the target alone as active.
//
// Run again after an interruption, it resumes: identical copies are skipped.
type Move struct {
	Backends map[string]Store
	SetState func(ctx context.Context, s State) error
	Settle   time.Duration
	Progress func(Progress)
}

// Run moves from → to.
func (m *Move) Run(ctx context.Context, from, to string) error {
	src, dst := m.Backends[from], m.Backends[to]
	if src == nil || dst == nil || from == to {
		return fmt.Errorf("blob: cannot move media from %q to %q", from, to)
	}
	if err := m.SetState(ctx, State{Backend: to, Fallback: from}); err != nil {
		return err
	}
	select {
	case <-time.After(m.Settle):
	case <-ctx.Done():
		return ctx.Err()
	}
	for pass := 0; pass < 2; pass++ { // the second pass catches objects written during the first
		objects, err := Inventory(ctx, src, []string{""})
		if err != nil {
			return err
		}
		if _, err := CopyAll(ctx, src, dst, objects, m.Progress); err != nil {
			return err
		}
	}
	return m.SetState(ctx, State{Backend: to})
}
