package ap

import "testing"

func TestValidIRI(t *testing.T) {
	t.Parallel()
	tests := map[string]bool{
		"https://example.com/users/a":     true,
		"http://example.com:8080/x?y=1#k": true,
		"HTTPS://Example.COM/":            true,
		"https://[::1]/x":                 true,
		"":                                false,
		"/users/a":                        false,
		"//example.com/a":                 false,
		"ftp://example.com/a":             false,
		"javascript:alert(1)":             false,
		"data:text/html,x":                false,
		"https://":                        false,
		"https://:443/x":                  false,
		"https://exa mple.com/":           false,
		"https://example.com/a\r\nX: y":   false,
		"https://example.com/\t":          false,
		"https://user:pass@example.com/":  false,
		"https://example.com/%zz":         false,
		"https://example.com/\x7f":        false,
	}
	for in, want := range tests {
		if got := ValidIRI(in); got != want {
			t.Errorf("ValidIRI(%q) = %v; want %v", in, got, want)
		}
	}
}

func TestSameOriginAndHost(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want bool
	}{
		{"https://example.com/a", "https://EXAMPLE.com/b", true},
		{"https://example.com/a", "https://example.com:443/b", true},
		{"http://example.com/a", "http://example.com:80/b", true},
		{"https://example.com/a", "http://example.com/a", false},
		{"https://example.com/a", "https://example.com:8443/a", false},
		{"https://example.com/a", "https://sub.example.com/a", false},
		{"https://example.com/a", "/a", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if got := SameOrigin(tt.a, tt.b); got != tt.want {
			t.Errorf("SameOrigin(%q, %q) = %v; want %v", tt.a, tt.b, got, tt.want)
		}
	}
	for in, want := range map[string]string{"https://Example.COM:8443/x": "example.com", "nope": "", "https://[::1]/": "::1"} {
		if got := Host(in); got != want {
			t.Errorf("Host(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestVisibilityOf(t *testing.T) {
	t.Parallel()
	const followers = "https://r.example/users/a/followers"
	bob := "https://r.example/users/bob"
	tests := []struct {
		to, cc []string
		want   Visibility
	}{
		{[]string{PublicCollection}, []string{followers}, VisibilityPublic},
		{[]string{"as:Public"}, nil, VisibilityPublic},
		{[]string{"Public"}, nil, VisibilityPublic},
		{[]string{followers}, []string{PublicCollection}, VisibilityUnlisted},
		{[]string{followers}, []string{bob}, VisibilityPrivate},
		{[]string{bob}, []string{followers}, VisibilityDirect},
		{[]string{bob}, nil, VisibilityDirect},
		{nil, nil, VisibilityDirect},
	}
	for _, tt := range tests {
		if got := VisibilityOf(tt.to, tt.cc, followers); got != tt.want {
			t.Errorf("VisibilityOf(%q, %q) = %q; want %q", tt.to, tt.cc, got, tt.want)
		}
	}
	if !Addresses([]string{bob}, nil, bob) || Addresses(nil, []string{followers}, bob) {
		t.Error("Addresses is wrong")
	}
}
