//go:build linux || darwin

package fdlimit

import (
	"runtime"
	"syscall"
	"testing"
)

func TestRaiseLiftsTheSoftLimitToTheHardOne(t *testing.T) {
	start, err := Get()
	if err != nil {
		t.Fatal(err)
	}
	if start.Hard < 512 {
		t.Skipf("hard limit %d is too low to lower the soft one below it", start.Hard)
	}
	// Lower the soft limit as a shell's default would leave it, then raise it again.
	if err := set(256, start.Hard); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { set(start.Hard, start.Hard) })
	got, err := Raise()
	if err != nil {
		t.Fatal(err)
	}
	if got.Soft <= 256 || got.Soft != wantSoft(got.Hard) {
		t.Errorf("Raise() = %+v; want the soft limit at the hard limit", got)
	}
	var r syscall.Rlimit
	syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r)
	if uint64(r.Cur) != got.Soft {
		t.Errorf("getrlimit says %d after Raise; Raise reported %d", r.Cur, got.Soft)
	}
	// A wish beyond what the process may have still leaves the soft limit at the hard one.
	got, err = RaiseTo(1 << 40)
	if err != nil || got.Soft < 256 {
		t.Errorf("RaiseTo(huge) = %+v, %v", got, err)
	}
}

func wantSoft(hard uint64) uint64 {
	if runtime.GOOS == "darwin" && hard > darwinOpenMax {
		return darwinOpenMax
	}
	return hard
}
