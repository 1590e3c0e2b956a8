package server_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/social"
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

// BenchmarkHomeTimelineWithImages reports the bytes of a home timeline page of 20 statuses
// with 4 photos each: the JSON uncompressed and compressed, the 80 previews a client loads
// to show the page, and the 80 originals it would load if every photo were opened.
func BenchmarkHomeTimelineWithImages(b *testing.B) {
	in := servertest.Start(b, store.SQLite, nil)
	alice := in.NewMember(b, "alice")
	ctx := context.Background()
	photo := photoJPEG(b, 3000, 2000)
	for i := range 20 {
		var ids []string
		for range 4 {
			m, err := in.Social.UploadMedia(ctx, alice.Account, social.Upload{Data: photo, DeclaredType: "image/jpeg"}, false)
			if err != nil {
				b.Fatal(err)
			}
			ids = append(ids, strconv.FormatInt(m.ID, 10))
		}
		form := "status=" + url.QueryEscape(fmt.Sprintf("holiday photos, day %d #travel", i))
		for _, id := range ids {
			form += "&media_ids[]=" + id
		}
		if r := alice.Form(b, "POST", "/api/v1/statuses", form); r.Status != 200 {
			b.Fatalf("post = %d %s", r.Status, r.Body)
		}
	}
	page := func(coding string) *servertest.Response {
		req, _ := http.NewRequest("GET", in.URL+"/api/v1/timelines/home?limit=20", nil)
		req.Header.Set("Authorization", "Bearer "+alice.Token)
		req.Header.Set("Accept-Encoding", coding)
		return in.Send(b, req)
	}
	var statuses []struct {
		Media []struct {
			URL        string `json:"url"`
			PreviewURL string `json:"preview_url"`
		} `json:"media_attachments"`
	}
	page("identity").JSON(b, &statuses)
	var previews, originals int
	for _, st := range statuses {
		for _, m := range st.Media {
			previews += mediaBytes(b, in, m.PreviewURL)
			originals += mediaBytes(b, in, m.URL)
		}
	}
	if len(statuses) != 20 || previews == 0 {
		b.Fatalf("page of %d statuses, %d preview bytes", len(statuses), previews)
	}
	sizes := map[string]int{}
	for _, coding := range []string{"identity", "gzip", "zstd"} {
		sizes[coding] = len(page(coding).Body)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		page("gzip")
	}
	for coding, n := range sizes {
		b.ReportMetric(float64(n), "json-"+coding+"-bytes")
	}
	b.ReportMetric(float64(previews), "previews-bytes")
	b.ReportMetric(float64(originals), "originals-bytes")
}

// photoJPEG draws a photo-like picture (smooth gradients with fine noise) as a JPEG, so
// sizes after processing resemble a camera's rather than a flat test card's.
func photoJPEG(b testing.TB, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(1, 2))
	for y := range h {
		for x := range w {
			n := uint8(rng.IntN(24))
			img.Set(x, y, color.RGBA{uint8(x*255/w) + n, uint8(y*255/h) + n, uint8((x+y)*127/(w+h)) + n, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// mediaBytes fetches one media URL of the instance and returns its size.
func mediaBytes(b *testing.B, in *servertest.Instance, u string) int {
	r := in.Do(b, "", "GET", strings.TrimPrefix(u, in.URL), nil)
	if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "image/") {
		b.Fatalf("GET %s = %d %s %q", u, r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	return len(r.Body)
}
