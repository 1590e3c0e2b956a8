package delivery

import (
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/httpsig"
)

// signBenchBody is a Create(Note) of ordinary length, as most deliveries carry.
const signBenchBody = `{"@context":["https://www.w3.org/ns/activitystreams"],"id":"https://tusk.test/users/alice/statuses/1/activity",` +
	`"type":"Create","actor":"https://tusk.test/users/alice","to":["https://www.w3.org/ns/activitystreams#Public"],` +
	`"object":{"id":"https://tusk.test/users/alice/statuses/1","type":"Note","attributedTo":"https://tusk.test/users/alice",` +
	`"content":"<p>A status of ordinary length, with a #hashtag and a mention, as most deliveries carry.</p>"}}`

// BenchmarkSign measures the signing of one delivery as HTTPSender signs it: the
// SHA-256 digest of the body and an RSA-2048 rsa-sha256 signature over
// (request-target) host date digest. One op is one signature.
func BenchmarkSign(b *testing.B) {
	key, err := httpsig.GenerateRSAKey()
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(signBenchBody)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SignedHeader("https://remote.test/inbox", body, senderKeyID, key, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignParallel is BenchmarkSign on every core, as concurrent attempts sign.
func BenchmarkSignParallel(b *testing.B) {
	key, err := httpsig.GenerateRSAKey()
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(signBenchBody)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := SignedHeader("https://remote.test/inbox", body, senderKeyID, key, time.Now()); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
