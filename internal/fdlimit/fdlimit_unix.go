//go:build linux || darwin

package fdlimit

import (
	"fmt"
	"runtime"
	"syscall"
)

// darwinOpenMax is macOS's OPEN_MAX, the most a process may ask for when its hard
// limit reads as unlimited.
const darwinOpenMax = 10240

// Get reads the current limit.
func Get() (Limit, error) {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err != nil {
		return Limit{}, fmt.Errorf("fdlimit: getrlimit: %w", err)
	}
	return Limit{Soft: uint64(r.Cur), Hard: uint64(r.Max)}, nil
}

// Raise sets the soft limit to the hard limit and returns the limit now in force.
// Go's runtime does the same at start on these systems; doing it here makes the
// figure visible in the log and keeps working when a wrapper lowered it again.
func Raise() (Limit, error) {
	return RaiseTo(0)
}

// RaiseTo raises the soft limit to the hard limit and, when want is larger than the
// hard limit, tries to raise both to want: that succeeds only with the privilege to
// raise hard limits (root, CAP_SYS_RESOURCE) and up to the system's ceiling
// (fs.nr_open on Linux); otherwise the soft limit still reaches the hard one.
func RaiseTo(want uint64) (Limit, error) {
	cur, err := Get()
	if err != nil {
		return cur, err
	}
	if want > cur.Hard && set(want, want) == nil {
		return Get()
	}
	target := cur.Hard
	if runtime.GOOS == "darwin" && target > darwinOpenMax {
		target = darwinOpenMax
	}
	if cur.Soft >= target {
		return cur, nil
	}
	if err := set(target, cur.Hard); err != nil {
		return cur, fmt.Errorf("fdlimit: raise the open-file limit from %d to %d: %w", cur.Soft, target, err)
	}
	return Get()
}

func set(soft, hard uint64) error {
	r := syscall.Rlimit{Cur: soft, Max: hard}
	return syscall.Setrlimit(syscall.RLIMIT_NOFILE, &r)
}
