package streaming

import (
	"context"
	"encoding/json"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

// deliverShared queues a status event to the subscribers of public and hashtag streams
// with one rendering per stream, whatever their number (see social.StreamStatusShared),
// adds the clients it queued to to ready, and returns the subscriptions left for the
// per-viewer path: those of other streams and those of a status that cannot be shared.
func (h *hub) deliverShared(ctx context.Context, ev social.Event, subs []*subscription, ready *[]*client) (rest []*subscription) {
	groups := map[string][]*subscription{}
	var order []string
	for _, s := range subs {
		t, ok := s.stream.timeline()
		if !ok || !social.SharedStreamable(t) || !s.stream.carries(ev.Name) {
			rest = append(rest, s)
			continue
		}
		k := s.stream.key()
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], s)
	}
	for _, k := range order {
		group := groups[k]
		byViewer, ok := h.render.shared(ctx, group, ev)
		if !ok {
			rest = append(rest, group...)
			continue
		}
		for _, s := range group {
			if m := byViewer[s.c.account().ID]; m != nil && s.c.queue(m) {
				*ready = append(*ready, s.c)
			}
		}
	}
	return rest
}

// shared renders ev once for every viewer of one stream (the group's), and once more for
// each viewer whose filters mark it; ok is false when the status must be rendered per viewer.
func (r *renderer) shared(ctx context.Context, group []*subscription, ev social.Event) (map[int64]*message, bool) {
	st := group[0].stream
	t, _ := st.timeline()
	seen := map[int64]bool{}
	var viewers []*model.Account
	for _, s := range group {
		if a := s.c.account(); !seen[a.ID] {
			seen[a.ID] = true
			viewers = append(viewers, a)
		}
	}
	res, ok, err := r.social.StreamStatusShared(ctx, t, ev.StatusID, viewers)
	if err != nil {
		r.log.Warn("streaming: render shared", "event", ev.Name, "stream", st.name, "err", err)
		return nil, true // as the per-viewer path does, a failed render delivers nothing
	}
	if !ok {
		return nil, false
	}
	out := make(map[int64]*message, len(res.Shared)+len(res.Filtered))
	if m := r.statusMessage(st, ev, res.View); m != nil {
		for _, id := range res.Shared {
			out[id] = m // one message, one encoded frame per transport, for all of them
		}
	}
	for id, v := range res.Filtered {
		if m := r.statusMessage(st, ev, v); m != nil {
			out[id] = m
		}
	}
	return out, true
}

func (r *renderer) statusMessage(st stream, ev social.Event, v *social.StatusView) *message {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(r.entity.Status(v, true))
	if err != nil {
		return nil
	}
	return encoded(&message{stream: st.ids(), event: ev.Name, payload: string(b)})
}
