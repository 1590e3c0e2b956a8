package federation

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/store"
)

// Bounds on one group commit of the inbox: the activities remembered and queued in
// one transaction, as one job.
const (
	maxBatchActivities = 128
	maxBatchBytes      = 2 << 20
	batchCommitTimeout = 30 * time.Second
)

// IngressBatchArgs is several verified inbound activities queued by one commit of the
// inbox. Each is processed on its own; one that fails for a reason worth retrying is
// queued again alone (IngressArgs), so the others are not processed twice.
type IngressBatchArgs struct {
	Activities []IngressArgs `json:"activities"`
}

// Kind names the job.
func (IngressBatchArgs) Kind() string { return "federation_ingress_batch" }

// InsertOpts puts inbound work on the ingress queue.
func (IngressBatchArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.Ingress, MaxAttempts: 8}
}

// ingressItem is one accepted delivery waiting for its group commit.
type ingressItem struct {
	activityID string
	args       IngressArgs
	done       chan error // the commit's outcome; buffered
}

// ingressGroup gathers the deliveries accepted while a commit is under way, so the
// next commit takes them all: under load one transaction (and one job) carries many
// activities, and with a single delivery nothing waits. An inbox answers 202 only
// after the commit that holds its activity succeeded.
type ingressGroup struct {
	mu       sync.Mutex
	pending  []*ingressItem
	flushing bool
}

// enqueueIngress remembers the activity id and queues the work durably, in a commit
// shared with the deliveries arriving meanwhile; a repeated delivery is dropped.
func (s *Service) enqueueIngress(ctx context.Context, activityID string, accountID int64, body []byte) error {
	if s.Jobs == nil {
		return errors.New("federation: no job queue to take inbound work")
	}
	it := &ingressItem{activityID: activityID, args: IngressArgs{ActorID: accountID, Body: string(body)}, done: make(chan error, 1)}
	g := &s.ingress
	g.mu.Lock()
	g.pending = append(g.pending, it)
	if !g.flushing {
		g.flushing = true
		go s.flushIngress()
	}
	g.mu.Unlock()
	select {
	case err := <-it.done:
		return err
	case <-ctx.Done():
		return ctx.Err() // the sender retries; the activity id drops a second copy
	}
}

// flushIngress commits the pending deliveries, batch after batch, until none is left.
func (s *Service) flushIngress() {
	g := &s.ingress
	for {
		g.mu.Lock()
		batch := takeBatch(&g.pending)
		if len(batch) == 0 {
			g.flushing = false
			g.mu.Unlock()
			return
		}
		g.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), batchCommitTimeout)
		err := s.commitIngress(ctx, batch)
		cancel()
		for _, it := range batch {
			it.done <- err
		}
	}
}

// takeBatch removes from pending the first items within the batch bounds (at least one).
func takeBatch(pending *[]*ingressItem) []*ingressItem {
	n, size := 0, 0
	for n < len(*pending) && n < maxBatchActivities {
		size += len((*pending)[n].args.Body)
		if n > 0 && size > maxBatchBytes {
			break
		}
		n++
	}
	batch := (*pending)[:n:n]
	*pending = (*pending)[n:]
	return batch
}

// commitIngress remembers the batch's activity ids and queues the new ones as one job,
// in one transaction.
func (s *Service) commitIngress(ctx context.Context, batch []*ingressItem) error {
	return s.Store.Tx(ctx, func(q store.Q) error {
		ids := make([]string, 0, len(batch))
		for _, it := range batch {
			if it.activityID != "" {
				ids = append(ids, it.activityID)
			}
		}
		remembered, err := q.RememberActivities(ctx, ids, s.now())
		if err != nil {
			return err
		}
		var fresh []IngressArgs
		for _, it := range batch {
			if it.activityID == "" || remembered[it.activityID] {
				fresh = append(fresh, it.args)
				delete(remembered, it.activityID) // the same id twice in one batch is taken once
			}
		}
		if len(fresh) == 0 {
			return nil
		}
		// A batch even of one: its worker stores statuses with a lazy commit, which a lone
		// federation_ingress job (kept for retries) does not.
		return s.Jobs.Enqueue(ctx, q, IngressBatchArgs{Activities: fresh}, nil)
	})
}

type ingressBatchWorker struct {
	river.WorkerDefaults[IngressBatchArgs]
	s *Service
}

// Work processes each activity; the ones that failed for a reason worth retrying are
// queued again, each alone, and the batch is done.
func (w *ingressBatchWorker) Work(ctx context.Context, job *river.Job[IngressBatchArgs]) error {
	retry := w.run(ctx, job.Args.Activities)
	if len(retry) == 0 {
		return nil
	}
	return w.s.Store.Tx(ctx, func(q store.Q) error {
		for _, a := range retry {
			if err := w.s.Jobs.Enqueue(ctx, q, a, nil); err != nil {
				return err
			}
		}
		return nil
	})
}
