package federation

import (
	"context"
	"errors"

	"github.com/tuskhq/tusk/internal/ap"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
)

// batchRun processes the activities of one batch job in order. Consecutive Creates of
// embedded statuses are read one by one and stored together in one transaction; any
// other activity first commits the statuses read before it, so order is kept.
type batchRun struct {
	s       *Service
	actors  map[int64]*model.Account // the batch's senders, read once
	ready   []social.RemoteStatus
	readyOf []IngressArgs   // the activity each ready status came from
	uris    map[string]bool // the ids of the ready statuses
	retry   []IngressArgs   // failed for a reason worth retrying
}

func (w *ingressBatchWorker) run(ctx context.Context, activities []IngressArgs) []IngressArgs {
	b := &batchRun{s: w.s, actors: map[int64]*model.Account{}, uris: map[string]bool{}}
	for _, a := range activities {
		b.take(ctx, a)
	}
	b.flush(ctx)
	return b.retry
}

// take reads one activity: a status to store with the next commit, or anything else,
// processed now.
func (b *batchRun) take(ctx context.Context, a IngressArgs) {
	obj, actor, ok := b.embeddedCreate(ctx, a)
	if !ok {
		b.flush(ctx)
		b.outcome(ctx, a, b.s.Process(ctx, a.ActorID, []byte(a.Body)))
		return
	}
	if b.uris[obj.InReplyTo] {
		b.flush(ctx) // its parent is in this batch: stored first, so the reply finds it
	}
	p, err := b.s.readStatus(ctx, actor, obj, 0)
	if err != nil {
		b.outcome(ctx, a, b.s.classify(err, "Create", obj.ID))
		return
	}
	b.ready, b.readyOf = append(b.ready, *p), append(b.readyOf, a)
	b.uris[p.URI] = true
}

// embeddedCreate recognizes a Create of an embedded status by an active sender; every
// other case (and every refusal) is left to Process, which says why.
func (b *batchRun) embeddedCreate(ctx context.Context, a IngressArgs) (*ap.Object, *model.Account, bool) {
	act, err := ap.DecodeActivity([]byte(a.Body))
	if err != nil || act.Type != "Create" || !act.Object.Embedded() || !ap.IsObjectType(act.Object.Type) {
		return nil, nil, false
	}
	actor, ok := b.actors[a.ActorID]
	if !ok {
		if actor, err = b.s.Store.AccountByID(ctx, a.ActorID); err != nil {
			return nil, nil, false
		}
		b.actors[a.ActorID] = actor
	}
	if actor.SuspendedAt != nil {
		return nil, nil, false
	}
	obj, err := ap.DecodeObject(act.Object.Raw)
	if err != nil {
		return nil, nil, false
	}
	return obj, actor, true
}

// flush stores the ready statuses in one transaction; when that fails, one by one.
func (b *batchRun) flush(ctx context.Context) {
	if len(b.ready) == 0 {
		return
	}
	if err := b.s.Social.ReceiveStatuses(ctx, b.ready); err != nil {
		for i, p := range b.ready {
			_, err := b.s.Social.ReceiveStatus(ctx, p)
			b.outcome(ctx, b.readyOf[i], b.s.classify(err, "Create", p.URI))
		}
	}
	b.ready, b.readyOf = b.ready[:0], b.readyOf[:0]
	clear(b.uris)
}

func (b *batchRun) outcome(ctx context.Context, a IngressArgs, err error) {
	switch {
	case err == nil:
	case errors.Is(err, errRefused):
		b.s.Log.InfoContext(ctx, "federation: inbound activity refused", "actor", a.ActorID, "err", err)
	default:
		b.s.Log.InfoContext(ctx, "federation: inbound activity to retry", "actor", a.ActorID, "err", err)
		b.retry = append(b.retry, a)
	}
}

// classify marks the errors that retrying cannot change as refusals.
func (s *Service) classify(err error, typ, id string) error {
	if errors.Is(err, social.ErrForeignObject) || errors.Is(err, ErrOriginMismatch) || errors.Is(err, ErrBlockedDomain) ||
		errors.Is(err, social.ErrNotFound) || errors.Is(err, social.ErrNotAllowed) || errors.Is(err, store.ErrNotFound) {
		return refused("%s %s: %v", typ, id, err)
	}
	return err
}
