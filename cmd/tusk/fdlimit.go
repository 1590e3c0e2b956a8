package main

import (
	"log/slog"

	"github.com/tuskhq/tusk/internal/fdlimit"
)

// raiseOpenFileLimit lifts the open-file limit to its ceiling, since every streaming
// connection holds a descriptor, and logs the figure the instance runs with.
func raiseOpenFileLimit(log *slog.Logger) {
	lim, err := fdlimit.Raise()
	if err != nil {
		log.Warn("open-file limit unchanged", "err", err, "soft", lim.Soft, "hard", lim.Hard)
		return
	}
	log.Info("open-file limit", "soft", lim.Soft, "hard", lim.Hard)
}
