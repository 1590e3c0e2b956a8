//go:build !(linux || darwin)

package fdlimit

import "errors"

var errUnsupported = errors.New("fdlimit: not supported on this system")

// Get is not supported here.
func Get() (Limit, error) { return Limit{}, errUnsupported }

// Raise is not supported here: the system's own limit stays in force.
func Raise() (Limit, error) { return Limit{}, errUnsupported }

// RaiseTo is not supported here.
func RaiseTo(uint64) (Limit, error) { return Limit{}, errUnsupported }
