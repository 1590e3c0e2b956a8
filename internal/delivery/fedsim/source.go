package fedsim

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/delivery"
	"github.com/tuskhq/tusk/internal/store"
)

// Source makes local activities and queues their deliveries. The simulation does not
// care how: phase 1 (DirectSource) writes activities straight into the delivery queue;
// phase 2 will follow local accounts from the fake actors with signed Follows and post
// through the client API, letting federation fan out.
type Source interface {
	// Post creates n activities, each addressed to every inbox, and returns their ids
	// once their deliveries are queued.
	Post(ctx context.Context, n int, inboxes []string) ([]string, error)
}

// DirectSource queues Create activities of one local signer, each in its own
// transaction, as an action's commit would.
type DirectSource struct {
	Store   *store.Store
	Signer  int64  // the local account id deliveries are signed as
	BaseURL string // the local instance's URL, for activity ids
	seq     int
}

// Post implements Source.
func (s *DirectSource) Post(ctx context.Context, n int, inboxes []string) ([]string, error) {
	var ids []string
	for range n {
		s.seq++
		id := fmt.Sprintf("%s/users/bench/statuses/%d-%d/activity", s.BaseURL, time.Now().UnixNano(), s.seq)
		body, err := createNote(id, s.BaseURL)
		if err != nil {
			return nil, err
		}
		ds := make([]delivery.Delivery, len(inboxes))
		for i, inbox := range inboxes {
			ds[i] = delivery.Delivery{ActivityID: id, Inbox: inbox, Body: body, SignerAccountID: s.Signer}
		}
		if err := s.Store.Tx(ctx, func(q store.Q) error {
			_, err := delivery.Enqueue(ctx, q, ds...)
			return err
		}); err != nil {
			return nil, fmt.Errorf("fedsim: queue %s: %w", id, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func createNote(id, base string) ([]byte, error) {
	actor := base + "/users/bench"
	note := noteID(id)
	return json.Marshal(map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       id, "type": "Create", "actor": actor, "to": []string{"https://www.w3.org/ns/activitystreams#Public"},
		"object": map[string]any{"id": note, "type": "Note", "attributedTo": actor, "content": "<p>A post from the simulated fediverse.</p>",
			"to": []string{"https://www.w3.org/ns/activitystreams#Public"}, "published": time.Now().UTC().Format(time.RFC3339)},
	})
}

// noteID is the note's id: the activity's without its /activity suffix.
func noteID(activityID string) string { return activityID[:len(activityID)-len("/activity")] }

// StaticKeys is a delivery.KeyFunc that signs every delivery with one key.
func StaticKeys(keyID string, key *rsa.PrivateKey) delivery.KeyFunc {
	return func(context.Context, int64) (string, *rsa.PrivateKey, error) { return keyID, key, nil }
}
