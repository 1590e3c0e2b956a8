package fedsim

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"net/netip"
	"time"

	"github.com/tuskhq/tusk/internal/delivery"
	"github.com/tuskhq/tusk/internal/outbound"
	"github.com/tuskhq/tusk/internal/store"
)

// Source makes local activities and queues their deliveries to a fleet. The
// simulation measures the delivery, whatever the source; the two sources differ in
// how real the traffic is. InstanceSource is a whole tusk: the fleet's actors follow
// a local account with signed Follows and the account posts through the client API.
// DirectSource writes activities straight into the delivery queue, with no server.
type Source interface {
	// Follow makes every host of fleet a recipient of what Post creates. The fleet
	// answers as healthy hosts meanwhile.
	Follow(ctx context.Context, fleet *Fleet) error
	// Post creates n activities addressed to every host and returns their ids once
	// their deliveries are queued.
	Post(ctx context.Context, n int) ([]string, error)
	// Delivery is the service that works the queue, not running; the simulation sets
	// its policy and observer and runs it.
	Delivery() *delivery.Service
}

// DirectSource queues Create activities of one local signer, each in its own
// transaction, as an action's commit would, to every inbox of the fleet, and delivers
// them with a static key.
type DirectSource struct {
	Store   *store.Store
	BaseURL string // the local instance's URL, for activity ids
	KeyID   string
	Key     *rsa.PrivateKey
	Client  *outbound.Client
	inboxes []string
	seq     int
}

// Follow implements Source: the fleet's shared inboxes become the audience.
func (s *DirectSource) Follow(_ context.Context, fleet *Fleet) error {
	s.inboxes = fleet.Inboxes()
	return nil
}

// Post implements Source.
func (s *DirectSource) Post(ctx context.Context, n int) ([]string, error) {
	var ids []string
	for range n {
		s.seq++
		id := fmt.Sprintf("%s/users/bench/statuses/%d-%d/activity", s.BaseURL, time.Now().UnixNano(), s.seq)
		body, err := createNote(id, s.BaseURL)
		if err != nil {
			return nil, err
		}
		ds := make([]delivery.Delivery, len(s.inboxes))
		for i, inbox := range s.inboxes {
			ds[i] = delivery.Delivery{ActivityID: id, Inbox: inbox, Body: body}
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

// Delivery implements Source: deliveries signed with the static key.
func (s *DirectSource) Delivery() *delivery.Service {
	sender := &delivery.HTTPSender{Client: s.Client, Keys: StaticKeys(s.KeyID, s.Key)}
	return &delivery.Service{Store: s.Store, Send: sender.Send}
}

func createNote(id, base string) ([]byte, error) {
	actor := base + "/users/bench"
	note := id[:len(id)-len("/activity")]
	return json.Marshal(map[string]any{
		"@context": activityStreams,
		"id":       id, "type": "Create", "actor": actor, "to": []string{activityStreams + "#Public"},
		"object": map[string]any{"id": note, "type": "Note", "attributedTo": actor, "content": "<p>A post from the simulated fediverse.</p>",
			"to": []string{activityStreams + "#Public"}, "published": time.Now().UTC().Format(time.RFC3339)},
	})
}

// StaticKeys is a delivery.KeyFunc that signs every delivery with one key.
func StaticKeys(keyID string, key *rsa.PrivateKey) delivery.KeyFunc {
	return func(context.Context, int64) (string, *rsa.PrivateKey, error) { return keyID, key, nil }
}

// benchClient is the outbound client deliveries go through: tusk's guarded client,
// loopback allowed, with the benchmark's time-outs.
func benchClient(o Options) *outbound.Client {
	return outbound.New(outbound.Options{Guard: outbound.Guard{Allowed: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}},
		ConnectTimeout: o.Connect, Timeout: o.Timeout, UserAgent: "tusk-fedsim"})
}
