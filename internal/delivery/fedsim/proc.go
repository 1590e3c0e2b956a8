package fedsim

import (
	"slices"
	"time"

	"github.com/tuskhq/tusk/internal/procstat"
)

// memory reads this process's resident and peak resident memory in MiB (Linux; 0 elsewhere).
func memory() (rss, peak float64) {
	r, p, err := procstat.Memory(0)
	if err != nil {
		return 0, 0
	}
	return float64(r) / 1024, float64(p) / 1024
}

func medianDuration(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
