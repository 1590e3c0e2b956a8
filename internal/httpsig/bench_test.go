package httpsig

import (
	"context"
	"crypto"
	"net/http"
	"testing"
)

// Run with: go test -bench . -benchmem ./internal/httpsig
// The federation target is 1,000 verified deliveries a second on two cores.

func BenchmarkSignRSA(b *testing.B) {
	key, _ := testKeys()
	body := []byte(testActivity)
	b.ReportAllocs()
	for b.Loop() {
		r := inboundPost(b, testActivity)
		if err := SignRequest(r, body, testKeyID, key, testNow); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "signs/s")
}

func BenchmarkVerifyCavageRSA(b *testing.B) {
	key, _ := testKeys()
	r := signedPost(b, testActivity, testNow)
	benchmarkVerify(b, r, key)
}

func BenchmarkVerify9421(b *testing.B) {
	key, _ := testKeys()
	r := signed9421(b, inboundPost(b, testActivity), testActivity, RFC9421Options{})
	benchmarkVerify(b, r, key)
}

func benchmarkVerify(b *testing.B, r *http.Request, key interface{ Public() crypto.PublicKey }) {
	v, _ := newVerifier(key.Public())
	body := []byte(testActivity)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, r, body); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verifies/s")
}
