//go:build unix

package streaming

import (
	"errors"
	"syscall"
)

// tryWrite writes as much of b as the kernel takes now, without waiting for the peer:
// the hub writes one event to thousands of sockets, and a slow one must not hold it.
func (s *socket) tryWrite(b []byte) (int, error) {
	if s.raw == nil {
		return 0, nil // everything goes by the slow path
	}
	var n int
	var werr error
	err := s.raw.Write(func(fd uintptr) bool {
		for n < len(b) {
			m, err := syscall.Write(int(fd), b[n:])
			switch {
			case errors.Is(err, syscall.EINTR):
				continue
			case errors.Is(err, syscall.EAGAIN):
				return true // the rest waits for the slow path
			case err != nil:
				werr = err
				return true
			}
			n += m
		}
		return true
	})
	if err == nil {
		err = werr
	}
	return n, err
}
