package federation_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

// BenchmarkRenderCreate renders the Create of a public status with a mention, a hashtag
// and a reply, as each delivery and each outbox item does.
func BenchmarkRenderCreate(b *testing.B) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			in := servertest.Start(b, engine, nil)
			alice := in.NewMember(b, "alice")
			in.NewMember(b, "bob")
			r := alice.Do(b, "POST", "/api/v1/statuses", map[string]any{"status": "hello @bob #tusk", "language": "en"})
			var st map[string]any
			r.JSON(b, &st)
			id, _ := strconv.ParseInt(fmt.Sprint(st["id"]), 10, 64)
			ctx := context.Background()
			status, err := in.Store.StatusByID(ctx, id)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := in.Federation.RenderCreate(ctx, in.Store.Q, status); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
