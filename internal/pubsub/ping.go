package pubsub

import "context"

// Ping tells whether the Redis server answers, for readiness checks.
func (b *Redis) Ping(ctx context.Context) error { return b.client.Ping(ctx).Err() }
