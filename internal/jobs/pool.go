package jobs

import (
	"runtime"

	"github.com/tuskhq/tusk/internal/config"
)

// PoolSize is the database pool a process needs, unless DB_POOL sets it: the web
// server's share (four connections per core and four more, as store sizes it) when the
// process serves HTTP, plus, when it works queues, the largest queue's concurrency
// (Mastodon's rule for DB_POOL) and three for River's own fetching, completing and
// leader work. Jobs hold a connection only while they query, so a queue waiting on
// slow servers holds none; when more want one at once they wait for it, never fail.
func PoolSize(cfg config.Config) int {
	if cfg.DBPool > 0 {
		return cfg.DBPool
	}
	n := 0
	if cfg.Jobs.Web || cfg.Jobs.Streaming || len(cfg.Jobs.WorkedQueues()) == 0 {
		n += 4*runtime.GOMAXPROCS(0) + 4
	}
	largest := 0
	for _, q := range cfg.Jobs.WorkedQueues() {
		largest = max(largest, cfg.Jobs.Concurrency[q])
	}
	if largest > 0 {
		n += largest + 3
	}
	return n
}
