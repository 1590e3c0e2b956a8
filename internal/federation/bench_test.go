package federation_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/fedtest"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

// BenchmarkInboundCreate measures signed Create(Note) deliveries per second taken in
// end to end: posted over loopback HTTP to the shared inbox, signature verified,
// remembered, queued, processed by the ingress workers and stored. Activities are
// signed before the clock starts: signing is the sender's cost.
//
//	TUSK_TEST_DATABASE_URL=… go test ./internal/federation -run '^$' -bench InboundCreate -benchtime 3000x
//
// TUSK_BENCH_CPUPROFILE=file writes a CPU profile of the timed part only (the signing
// before it would drown everything else); the engine's name is appended to file.
func BenchmarkInboundCreate(b *testing.B) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			if engine == store.Postgres && os.Getenv("TUSK_TEST_DATABASE_URL") == "" {
				b.Skip("TUSK_TEST_DATABASE_URL not set: PostgreSQL benchmark skipped")
			}
			benchInbound(b, engine)
		})
	}
}

func benchInbound(b *testing.B, engine store.Engine) {
	in := servertest.Start(b, engine, func(c *config.Config) {
		c.Network.AllowedPrivate = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	})
	remote := fedtest.NewRemote(b)
	alice := remote.Actor("alice")
	in.NewMember(b, "bob")
	in.WorkJobs(b)
	// Warm up: the first delivery fetches alice and stores her key.
	deliverBench(b, in, alice, 0, 1)
	reqs := make([]*http.Request, b.N)
	for i := range reqs {
		reqs[i] = signedCreate(b, in, alice, i+1)
	}
	b.ResetTimer()
	begun, cpu0 := time.Now(), readCPU()
	stopProfile := profileTimed(b)
	postAll(b, reqs, 8)
	waitDone(b, in, b.N+1)
	b.StopTimer()
	stopProfile()
	cpu := readCPU().since(cpu0)
	b.ReportMetric(float64(b.N)/time.Since(begun).Seconds(), "activities/s")
	b.ReportMetric(float64(cpu.self.Microseconds())/float64(b.N), "tusk-cpu-µs/op")
	if engine == store.Postgres {
		b.ReportMetric(float64(cpu.postgres.Microseconds())/float64(b.N), "pg-cpu-µs/op")
	}
}

func signedCreate(b *testing.B, in *servertest.Instance, a *fedtest.Actor, i int) *http.Request {
	path := fmt.Sprintf("/notes/%d", i)
	body := mustMarshal(b, a.Activity("Create", path+"/activity", a.Note(path, fmt.Sprintf("<p>note %d</p>", i))))
	req, err := fedtest.SignedPost(in.URL+"/inbox", body, a.KeyID, a.Key, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	return req
}

func deliverBench(b *testing.B, in *servertest.Instance, a *fedtest.Actor, from, n int) {
	reqs := make([]*http.Request, n)
	for i := range reqs {
		reqs[i] = signedCreate(b, in, a, from+i)
	}
	postAll(b, reqs, 1)
	waitDone(b, in, from+n)
}

// postAll sends the requests from workers goroutines, failing on any answer but 202.
func postAll(b *testing.B, reqs []*http.Request, workers int) {
	var wg sync.WaitGroup
	next := make(chan *http.Request)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	for range workers {
		wg.Go(func() {
			for req := range next {
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					continue
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusAccepted {
					b.Errorf("status %d; want 202", resp.StatusCode)
				}
			}
		})
	}
	for _, r := range reqs {
		next <- r
	}
	close(next)
	wg.Wait()
}

// waitDone waits until n remote statuses are stored.
func waitDone(b *testing.B, in *servertest.Instance, n int) {
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		var got int
		if err := in.Store.DB().QueryRow(`SELECT COUNT(*) FROM statuses WHERE local = FALSE`).Scan(&got); err != nil {
			b.Fatal(err)
		}
		if got >= n {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	b.Fatalf("statuses not stored in time")
}

func mustMarshal(b *testing.B, v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		b.Fatal(err)
	}
	return data
}
