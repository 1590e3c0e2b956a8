package servertest

import (
	"fmt"
	"testing"
	"time"
)

// Eventually polls cond until it holds, failing after a generous while with what it
// last said: work between instances (deliveries, jobs) happens in its own time, and the
// tests check that it happens, not how fast.
func Eventually(t testing.TB, what string, cond func() (ok bool, said string)) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	last := ""
	for time.Now().Before(deadline) {
		ok, said := cond()
		if ok {
			return
		}
		last = said
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: never happened; last seen: %s", what, last)
}

// WaitNotification waits until m has a notification of kind that match accepts, and
// returns it.
func (m *Member) WaitNotification(t testing.TB, kind string, match func(n map[string]any) bool) map[string]any {
	t.Helper()
	var found map[string]any
	Eventually(t, kind+" notification", func() (bool, string) {
		ns := m.List(t, "/api/v1/notifications?types[]="+kind)
		for _, n := range ns {
			if match(n) {
				found = n
				return true, ""
			}
		}
		return false, fmt.Sprint(ns)
	})
	return found
}

// FromAccount matches a notification whose account has value in field, as in
// FromAccount("acct", "alice@example.com") or FromAccount("uri", actorURL).
func FromAccount(field, value string) func(n map[string]any) bool {
	return func(n map[string]any) bool {
		a, _ := n["account"].(map[string]any)
		return a[field] == value
	}
}
