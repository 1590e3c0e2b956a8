package websession

import "testing"

func TestSafeNext(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", "/"},
		{"/admin/queues", "/admin/queues"},
		{"/admin/queues?queue=push&state=dead", "/admin/queues?queue=push&state=dead"},
		{"//evil.example/", "/"},
		{"/\\evil.example", "/"},
		{"https://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"admin/queues", "/"},
		{"/a\r\nLocation: x", "/"},
	} {
		if got := safeNext(tt.in); got != tt.want {
			t.Errorf("safeNext(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
