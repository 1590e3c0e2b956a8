package servertest

import (
	"net/url"
	"testing"
)

// The helpers below call the client API as a member and fail the test unless it answers
// 200, for tests that drive instances through the API and care about the result, not
// the status. Entities come back as decoded JSON objects.

// Call performs method on path as m (body, when not nil, sent as JSON) and returns
// the object it answered.
func (m *Member) Call(t testing.TB, method, path string, body any) map[string]any {
	t.Helper()
	resp := m.Do(t, method, path, body)
	if resp.Status != 200 {
		t.Fatalf("%s %s: %d %s", method, path, resp.Status, resp.Body)
	}
	var out map[string]any
	resp.JSON(t, &out)
	return out
}

// List reads a list endpoint (a timeline, notifications…) as m.
func (m *Member) List(t testing.TB, path string) []map[string]any {
	t.Helper()
	resp := m.Do(t, "GET", path, nil)
	if resp.Status != 200 {
		t.Fatalf("GET %s: %d %s", path, resp.Status, resp.Body)
	}
	var out []map[string]any
	resp.JSON(t, &out)
	return out
}

// Post publishes a status as m and returns it as the API rendered it.
func (m *Member) Post(t testing.TB, body map[string]any) map[string]any {
	t.Helper()
	return m.Call(t, "POST", "/api/v1/statuses", body)
}

// Relationship is m's relationship with the account whose id (on m's instance) is id.
func (m *Member) Relationship(t testing.TB, id string) map[string]any {
	t.Helper()
	rels := m.List(t, "/api/v1/accounts/relationships?id[]="+id)
	if len(rels) != 1 {
		t.Fatalf("relationship with %s: %v", id, rels)
	}
	return rels[0]
}

// ResolveAccount finds an account by handle or actor URL through m's instance (search
// with resolve=true, which fetches a remote one) and returns it as m's instance knows it.
func (m *Member) ResolveAccount(t testing.TB, q string) map[string]any {
	t.Helper()
	return m.resolve(t, "accounts", q)
}

// ResolveStatus finds a status by its URI through m's instance, fetching a remote one.
func (m *Member) ResolveStatus(t testing.TB, uri string) map[string]any {
	t.Helper()
	return m.resolve(t, "statuses", uri)
}

// resolve searches for exactly one result of kind ("accounts" or "statuses") for q.
func (m *Member) resolve(t testing.TB, kind, q string) map[string]any {
	t.Helper()
	resp := m.Do(t, "GET", "/api/v2/search?type="+kind+"&resolve=true&q="+url.QueryEscape(q), nil)
	if resp.Status != 200 {
		t.Fatalf("resolve %s: %d %s", q, resp.Status, resp.Body)
	}
	var res map[string][]map[string]any // accounts, statuses, hashtags
	resp.JSON(t, &res)
	if len(res[kind]) != 1 {
		t.Fatalf("resolve %s: %d %s", q, resp.Status, resp.Body)
	}
	return res[kind][0]
}
