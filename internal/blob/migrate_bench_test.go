package blob_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/tuskhq/tusk/internal/blob"
	"github.com/tuskhq/tusk/internal/blob/s3test"
)

// BenchmarkMigrateLocalToS3 measures a move's copy phase (read, upload, verify) from the
// local folder to a versitygw bucket on loopback: objects/s and MB/s.
func BenchmarkMigrateLocalToS3(b *testing.B) {
	for _, tc := range []struct {
		name  string
		count int
		size  int
	}{{"previews-40KB", 400, 40 << 10}, {"originals-1MB", 64, 1 << 20}, {"videos-8MB", 4, 8 << 20}} {
		b.Run(tc.name, func(b *testing.B) {
			ctx := context.Background()
			opts := s3test.Start(b)
			local := &blob.Local{Root: b.TempDir()}
			rng := rand.New(rand.NewPCG(1, 2))
			body := make([]byte, tc.size)
			for i := range tc.count {
				for j := range body {
					body[j] = byte(rng.Uint32()) // incompressible, as media is
				}
				if err := local.Put(ctx, fmt.Sprintf("media_attachments/%d/original.jpeg", i), bytes.NewReader(body), int64(len(body)), "image/jpeg"); err != nil {
					b.Fatal(err)
				}
			}
			objs, err := blob.Inventory(ctx, local, []string{""})
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(tc.count * tc.size))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				o := opts
				o.KeyPrefix = fmt.Sprintf("run%d", i) // an empty target each time
				dst, err := blob.NewS3(o)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				p, err := blob.CopyAll(ctx, local, dst, objs, nil)
				if err != nil || p.Skipped != 0 {
					b.Fatalf("copy = %+v, %v", p, err)
				}
			}
			b.ReportMetric(float64(tc.count*b.N)/b.Elapsed().Seconds(), "objects/s")
		})
	}
}
