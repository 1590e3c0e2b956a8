package server_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

// BenchmarkHomeTimelineBytes reports the bytes sent for a home timeline page of 20
// statuses, as JSON uncompressed and in each coding, and times a gzip-compressed fetch.
func BenchmarkHomeTimelineBytes(b *testing.B) {
	in := servertest.Start(b, store.SQLite, nil)
	alice := in.NewMember(b, "alice")
	words := strings.Fields(`river morning light water walked bridge coffee friends rain city music train
		window garden winter summer book reading writing code server fediverse tusk mastodon release bug fix
		weekend market bread cheese bicycle mountain lake forest birds cat dog kitchen recipe soup evening
		concert guitar piano photo camera lens film museum painting poster meeting deadline holiday sea`)
	rng := rand.New(rand.NewPCG(7, 9))
	for i := range 20 {
		var text strings.Builder
		for range 25 + rng.IntN(20) {
			text.WriteString(words[rng.IntN(len(words))] + " ")
		}
		fmt.Fprintf(&text, "#%s @alice https://example.com/%d/%x", words[rng.IntN(len(words))], i, rng.Uint64())
		if r := alice.Do(b, "POST", "/api/v1/statuses", map[string]string{"status": text.String(), "visibility": "public"}); r.Status != 200 {
			b.Fatalf("post = %d %s", r.Status, r.Body)
		}
	}
	fetch := func(coding string) *servertest.Response {
		req, _ := http.NewRequest("GET", in.URL+"/api/v1/timelines/home?limit=20", nil)
		req.Header.Set("Authorization", "Bearer "+alice.Token)
		req.Header.Set("Accept-Encoding", coding)
		r := in.Send(b, req)
		want := coding
		if coding == "identity" {
			want = ""
		}
		if r.Status != 200 || r.Header.Get("Content-Encoding") != want {
			b.Fatalf("GET home (%s) = %d, Content-Encoding %q", coding, r.Status, r.Header.Get("Content-Encoding"))
		}
		return r
	}
	sizes := map[string]int{}
	for _, coding := range []string{"identity", "gzip", "br", "zstd"} {
		sizes[coding] = len(fetch(coding).Body)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fetch("gzip")
	}
	for coding, n := range sizes { // after the loop: ResetTimer clears reported metrics
		b.ReportMetric(float64(n), coding+"-bytes")
	}
}
