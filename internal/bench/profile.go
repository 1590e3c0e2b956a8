package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
)

// profilePhase starts a CPU profile of one benchmark phase in dir/NAME.pprof, when dir
// is set, and returns what stops it. Profiles are for "go tool pprof".
func profilePhase(dir, name string) (stop func() error, err error) {
	if dir == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(filepath.Join(dir, name+".pprof"))
	if err != nil {
		return nil, fmt.Errorf("bench: profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("bench: profile: %w", err)
	}
	return func() error {
		pprof.StopCPUProfile()
		return f.Close()
	}, nil
}

// profiled runs fn under a CPU profile named name.
func profiled[T any](dir, name string, fn func() (T, error)) (T, error) {
	var zero T
	stop, err := profilePhase(dir, name)
	if err != nil {
		return zero, err
	}
	v, err := fn()
	if stopErr := stop(); err == nil && stopErr != nil {
		return zero, fmt.Errorf("bench: profile: %w", stopErr)
	}
	return v, err
}
