package mastoapi_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/outbound"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

// linkSite is a web site on loopback whose pages carry OpenGraph tags.
type linkSite struct {
	*httptest.Server
	hits atomic.Int64
}

func startLinkSite(t *testing.T) *linkSite {
	t.Helper()
	s := &linkSite{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		if r.URL.Path == "/plain.txt" {
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprint(w, "no card here")
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="en"><head><title>fallback</title>
			<meta property="og:title" content="Article %s"><meta property="og:description" content="About tusks.">
			<meta property="og:site_name" content="Tusk Times"><meta property="og:image" content="/cover.png">
			<meta property="og:image:width" content="640"><meta property="og:image:height" content="480">
			<meta name="author" content="Ann Author"><meta property="article:published_time" content="2026-11-01T08:00:00Z">
			</head><body>text</body></html>`, r.URL.Path)
	}))
	t.Cleanup(s.Close)
	return s
}

// startLinks runs an instance per engine that works its queues; allowLoopback sets
// ALLOWED_PRIVATE_ADDRESSES=127.0.0.0/8 so that it may fetch from linkSite.
func startLinks(t *testing.T, allowLoopback bool, fn func(t *testing.T, in *servertest.Instance)) {
	t.Parallel()
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			in := servertest.Start(t, engine, func(c *config.Config) {
				if allowLoopback {
					c.Network.AllowedPrivate = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
				}
			})
			fastPasswords(in)
			if err := in.StartJobs(context.Background()); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { in.StopJobs(5 * time.Second) })
			fn(t, in)
		})
	}
}

// awaitCard polls the status until its card appears.
func awaitCard(t *testing.T, m *servertest.Member, statusID string) jsonObj {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		st := obj(t, m.Do(t, "GET", "/api/v1/statuses/"+statusID, nil), 200, "get status")
		if card, ok := st["card"].(jsonObj); ok {
			conforms(t, "Status", st)
			return card
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("status %s got no card", statusID)
	return nil
}

// cardJobs lists the states of the card fetch jobs, oldest first.
func cardJobs(t *testing.T, in *servertest.Instance) []string {
	t.Helper()
	rows, err := in.Store.DB().QueryContext(context.Background(), `SELECT state FROM river_job WHERE kind = 'fetch_preview_card' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func TestPreviewCards(t *testing.T) {
	startLinks(t, true, func(t *testing.T, in *servertest.Instance) {
		site := startLinkSite(t)
		ann, bob := in.NewMember(t, "ann"), in.NewMember(t, "bob")
		link := site.URL + "/a"
		first := say(t, ann, "read this: "+link+" #tusks")
		card := awaitCard(t, ann, first)
		conforms(t, "PreviewCard", card)
		wantCard := jsonObj{"url": link, "title": "Article /a", "description": "About tusks.", "type": "link",
			"provider_name": "Tusk Times", "image": site.URL + "/cover.png", "width": 640.0, "height": 480.0,
			"author_name": "Ann Author", "language": "en", "published_at": "2026-11-01T08:00:00.000Z"}
		for k, v := range wantCard {
			if card[k] != v {
				t.Errorf("card[%q] = %v; want %v", k, card[k], v)
			}
		}
		// Another status linking the same page shares the stored card: no second fetch.
		second := say(t, bob, "same page "+link)
		if again := awaitCard(t, bob, second); again["title"] != "Article /a" {
			t.Errorf("shared card = %v", again)
		}
		if n := site.hits.Load(); n != 1 {
			t.Errorf("the page was fetched %d times; want once", n)
		}
		// Mentions and hashtags are not links; a status without a link queues no fetch.
		say(t, bob, "@ann #tusks no link")
		// A page that is not HTML makes no card, and its job is given up, not retried.
		plain := say(t, bob, "text "+site.URL+"/plain.txt")
		waitJobs(t, in, 3)
		if st := obj(t, bob.Do(t, "GET", "/api/v1/statuses/"+plain, nil), 200, "plain"); st["card"] != nil {
			t.Errorf("card of a text/plain page = %v; want null", st["card"])
		}
	})
}

// waitJobs waits until n card fetch jobs exist and none is still pending.
func waitJobs(t *testing.T, in *servertest.Instance, n int) []string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		states := cardJobs(t, in)
		done := len(states) == n
		for _, s := range states {
			done = done && (s == "completed" || s == "cancelled" || s == "discarded")
		}
		if done {
			return states
		}
		if time.Now().After(deadline) {
			t.Fatalf("card jobs = %v; want %d finished", states, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestPreviewCardRefusesPrivateAddress(t *testing.T) {
	startLinks(t, false, func(t *testing.T, in *servertest.Instance) {
		site := startLinkSite(t)
		ann := in.NewMember(t, "ann")
		id := say(t, ann, "internal "+site.URL+"/secret")
		if states := waitJobs(t, in, 1); states[0] != "cancelled" {
			t.Errorf("job state = %s; want cancelled (refused for good)", states[0])
		}
		if st := obj(t, ann.Do(t, "GET", "/api/v1/statuses/"+id, nil), 200, "status"); st["card"] != nil {
			t.Errorf("card = %v; want null", st["card"])
		}
		if n := site.hits.Load(); n != 0 {
			t.Errorf("the loopback site saw %d requests; want none", n)
		}
		client := outbound.New(outbound.Options{})
		if err := in.Social.FetchCard(context.Background(), client, mustID(t, id), site.URL+"/secret"); !errors.Is(err, outbound.ErrForbiddenAddress) {
			t.Errorf("FetchCard = %v; want ErrForbiddenAddress", err)
		}
	})
}

func TestTrendingLinksAndLinkTimeline(t *testing.T) {
	startLinks(t, true, func(t *testing.T, in *servertest.Instance) {
		site := startLinkSite(t)
		ann, bob, cat := in.NewMember(t, "ann"), in.NewMember(t, "bob"), in.NewMember(t, "cat")
		hot, cold := site.URL+"/hot", site.URL+"/cold"
		c1 := say(t, cat, "cold "+cold)
		c2 := say(t, bob, "cold too "+cold)
		h1 := say(t, ann, "hot "+hot)
		h2 := say(t, bob, "also hot "+hot)
		h3 := say(t, ann, "hot again "+hot)
		hidden := post(t, cat, jsonObj{"status": "private " + hot, "visibility": "private"})["id"].(string)
		unlisted := post(t, cat, jsonObj{"status": "quiet " + hot, "visibility": "unlisted"})["id"].(string)
		for id, author := range map[string]*servertest.Member{h1: ann, h2: bob, h3: ann, c1: cat, c2: bob, hidden: cat, unlisted: cat} {
			awaitCard(t, author, id)
		}
		ctx := context.Background()
		if err := in.Social.RefreshTrends(ctx, time.Now()); err != nil {
			t.Fatal(err)
		}
		// Trends need an admin's review (the default): nothing shows until one is allowed.
		if got := list(t, in.Do(t, "", "GET", "/api/v1/trends/links", nil), "trends before review"); len(got) != 0 {
			t.Errorf("unreviewed trends = %v; want none", got)
		}
		for _, u := range []string{hot, cold} {
			if err := in.Social.ReviewTrend(ctx, model.TrendLink, u, true); err != nil {
				t.Fatal(err)
			}
		}
		trends := list(t, in.Do(t, "", "GET", "/api/v1/trends/links", nil), "trends")
		conformsAll(t, "TrendsLink", trends)
		if len(trends) != 2 || trends[0]["url"] != hot || trends[1]["url"] != cold || trends[0]["title"] != "Article /hot" {
			t.Fatalf("trends = %v; want hot then cold", trends)
		}
		uses, accounts := 0, 0
		for _, d := range trends[0]["history"].([]any) {
			day := d.(jsonObj)
			n, _ := strconv.Atoi(day["uses"].(string))
			a, _ := strconv.Atoi(day["accounts"].(string))
			uses, accounts = uses+n, max(accounts, a)
		}
		if len(trends[0]["history"].([]any)) != 7 || uses != 3 || accounts != 2 {
			t.Errorf("hot history = %v; want 7 days with its 3 public uses by 2 accounts", trends[0]["history"])
		}
		page := in.Do(t, "", "GET", "/api/v1/trends/links?limit=1&offset=1", nil)
		if got := list(t, page, "second page"); len(got) != 1 || got[0]["url"] != cold {
			t.Errorf("offset=1 limit=1 = %v; want cold", got)
		}
		if l := page.Header.Get("Link"); !strings.Contains(l, "offset=0") || !strings.Contains(l, `rel="prev"`) {
			t.Errorf("Link = %q; want a prev link to offset 0", l)
		}

		timeline := in.Do(t, "", "GET", "/api/v1/timelines/link?url="+url.QueryEscape(hot), nil)
		sameIDs(t, "link timeline", ids(list(t, timeline, "link timeline")), []string{h3, h2, h1})
		older := in.Do(t, ann.Token, "GET", "/api/v1/timelines/link?limit=2&url="+url.QueryEscape(hot), nil)
		sameIDs(t, "first page", ids(list(t, older, "page")), []string{h3, h2})
		next := link(t, in, older, "next")
		sameIDs(t, "next page", idsAt(t, ann, next), []string{h1})

		errorMessage(t, in.Do(t, "", "GET", "/api/v1/timelines/link?url="+url.QueryEscape(site.URL+"/never-posted"), nil), 404, "unknown link")
		errorMessage(t, in.Do(t, "", "GET", "/api/v1/timelines/link", nil), 404, "no url")
		errorMessage(t, in.Do(t, "", "GET", "/api/v1/timelines/link?url="+url.QueryEscape(hot+strings.Repeat("x", 2100)), nil), 422, "too long")
		errorMessage(t, in.Do(t, "", "GET", "/api/v1/trends/links?offset=-1", nil), 422, "negative offset")
	})
}
