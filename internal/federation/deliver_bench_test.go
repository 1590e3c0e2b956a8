package federation

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// BenchmarkSign measures the outbound signing of one delivery: a Create of a real
// status, rendered and serialized once as send does, then for each delivery the
// request built and signed as Deliver signs it (SHA-256 digest of the body, RSA-2048
// rsa-sha256 over (request-target) host date digest). One op is one signature.
func BenchmarkSign(b *testing.B) {
	body, key := signBenchSetup(b)
	ctx := context.Background()
	s := &Service{}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.signedPostHeader(ctx, "https://remote.test/inbox", body, key); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignParallel is BenchmarkSign on every core, as the push queue's workers sign.
func BenchmarkSignParallel(b *testing.B) {
	body, key := signBenchSetup(b)
	s := &Service{}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		for pb.Next() {
			if _, err := s.signedPostHeader(ctx, "https://remote.test/inbox", body, key); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func signBenchSetup(b *testing.B) ([]byte, *LocalKey) {
	st := storetest.Open(b, store.SQLite)
	w := newWorld(b, st)
	ctx := context.Background()
	posted, err := w.soc.Post(ctx, w.acct["alice"], nil, social.PostParams{Visibility: model.Public, Sensitive: new(false),
		Text: "A status of ordinary length, with a #hashtag and a mention of @m1@c.test, as most deliveries carry."})
	if err != nil {
		b.Fatal(err)
	}
	create, err := w.fed.RenderCreate(ctx, st.Q, posted)
	if err != nil {
		b.Fatal(err)
	}
	body, err := json.Marshal(create)
	if err != nil {
		b.Fatal(err)
	}
	key, err := w.fed.Keys.Account(ctx, w.acct["alice"])
	if err != nil {
		b.Fatal(err)
	}
	return body, key
}
