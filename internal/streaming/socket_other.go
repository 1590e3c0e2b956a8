//go:build !unix

package streaming

// tryWrite writes nothing where descriptors cannot be written without waiting: every
// write goes by the slow path, a goroutine while events wait.
func (s *socket) tryWrite([]byte) (int, error) { return 0, nil }
