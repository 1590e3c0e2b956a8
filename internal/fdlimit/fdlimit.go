// Package fdlimit raises the process's open-file limit, so a server holding tens of
// thousands of streaming connections does not stop accepting at the usual default of
// 1,024 descriptors.
package fdlimit

// Limit is the open-file limit (RLIMIT_NOFILE): Soft is enforced, Hard is the ceiling
// an unprivileged process may raise Soft to.
type Limit struct {
	Soft, Hard uint64
}
