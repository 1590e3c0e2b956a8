package config

import "testing"

func TestStreamingURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ base, https, want string }{
		{"", "false", "ws://example.test"},
		{"", "true", "wss://example.test"},
		{"https://streaming.example.test", "false", "wss://streaming.example.test"},
		{"http://streaming.example.test/", "true", "ws://streaming.example.test"},
		{"wss://s.example.test", "false", "wss://s.example.test"},
	}
	for _, tt := range tests {
		env := map[string]string{"LOCAL_DOMAIN": "example.test", "LOCAL_HTTPS": tt.https, "STREAMING_API_BASE_URL": tt.base}
		c, err := load(t, nil, env)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.StreamingURL(); got != tt.want {
			t.Errorf("StreamingURL(%q, https=%s) = %q; want %q", tt.base, tt.https, got, tt.want)
		}
	}
	if _, err := load(t, nil, map[string]string{"STREAMING_API_BASE_URL": "ftp://x"}); err == nil {
		t.Error("STREAMING_API_BASE_URL=ftp://x accepted; want an error")
	}
}
