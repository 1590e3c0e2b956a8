// Package pubsub carries events between the parts of tusk that produce them (posting,
// notifications, moderation) and the streaming connections that deliver them, within one
// process or, with a shared broker, across several.
package pubsub

import "context"

// Bus publishes payloads on named channels. Implementations deliver a payload to every
// subscriber of its channel in every process sharing the bus, in publish order per channel.
type Bus interface {
	// Publish sends payload to the channel's subscribers; with none, it costs (almost) nothing.
	Publish(ctx context.Context, channel string, payload []byte) error
	// Subscribe calls fn for each payload published on channel until the returned function
	// is called. fn must not block: it runs on the bus's delivery path.
	Subscribe(channel string, fn func(payload []byte)) (unsubscribe func())
	// Close stops delivery and releases the bus's connections.
	Close() error
}
