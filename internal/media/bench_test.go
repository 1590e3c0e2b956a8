package media

import (
	"bytes"
	"image"
	"image/jpeg"
	"os"
	"strconv"
	"strings"
	"testing"
)

// photo12MP is a 4000×3000 JPEG with detail everywhere, like a phone photo.
func photo12MP(b *testing.B) []byte {
	img := image.NewYCbCr(image.Rect(0, 0, 4000, 3000), image.YCbCrSubsampleRatio420)
	for y := 0; y < 3000; y++ {
		for x := 0; x < 4000; x++ {
			img.Y[y*img.YStride+x] = uint8((x*x + y*3) >> 4)
		}
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = uint8(i*13), uint8(i*7)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkProcess12MPJPEG measures an image upload's processing: a 12 MP JPEG to an
// original within 8.3 MP, a 640×360 preview and a blurhash. It reports images/s and
// the process's peak resident memory (VmHWM).
func BenchmarkProcess12MPJPEG(b *testing.B) {
	upright := photo12MP(b)
	for _, c := range []struct {
		name string
		data []byte
	}{{"upright", upright}, {"exif-rotated", withEXIF(upright, 6)}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			for b.Loop() {
				if _, err := ProcessImage(c.data, JPEG); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "images/s")
			if kb := peakRSSKB(); kb > 0 {
				b.ReportMetric(float64(kb)/1024, "peak-RSS-MB")
			}
		})
	}
}

// peakRSSKB reads VmHWM from /proc (Linux); 0 elsewhere.
func peakRSSKB() int {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return n
		}
	}
	return 0
}
