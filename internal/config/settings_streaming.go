package config

import (
	"fmt"
	"net/url"
	"strings"
)

// streamingSettings are the variables for the streaming API.
var streamingSettings = []setting{
	{"STREAMING_API_BASE_URL", "streaming-api-base-url", "", "ws:// or wss:// URL apps open streams at, when not the web host (e.g. a separate streaming host)", func(c *Config, v string) error {
		c.StreamingBaseURL = strings.TrimRight(v, "/")
		return checkStreamingURL(c.StreamingBaseURL)
	}},
}

// checkStreamingURL accepts an empty value (the web host) or an absolute ws(s) or http(s) URL.
func checkStreamingURL(v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || u.Host == "" {
		return fmt.Errorf("not an absolute URL: %q", v)
	}
	switch u.Scheme {
	case "ws", "wss", "http", "https":
		return nil
	}
	return fmt.Errorf("scheme must be ws, wss, http or https: %q", v)
}

// StreamingURL is the streaming API's base as instance information advertises it: the
// configured URL with http(s) turned into ws(s), or the web host with ws:// when the
// instance is served over http and wss:// over https.
func (c Config) StreamingURL() string {
	if c.StreamingBaseURL == "" {
		if c.LocalHTTPS {
			return "wss://" + c.WebDomain
		}
		return "ws://" + c.WebDomain
	}
	if rest, ok := strings.CutPrefix(c.StreamingBaseURL, "https://"); ok {
		return "wss://" + rest
	}
	if rest, ok := strings.CutPrefix(c.StreamingBaseURL, "http://"); ok {
		return "ws://" + rest
	}
	return c.StreamingBaseURL
}
