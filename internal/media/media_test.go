package media

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"runtime"
	"strings"
	"testing"
)

// tinyWebP is a 2×2 red lossless WebP, made with ffmpeg's libwebp (Go has no encoder).
var tinyWebP = []byte{
	0x52, 0x49, 0x46, 0x46, 0x1c, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50,
	0x56, 0x50, 0x38, 0x4c, 0x0f, 0x00, 0x00, 0x00, 0x2f, 0x01, 0x40, 0x00,
	0x00, 0x07, 0x10, 0xf5, 0x8f, 0xfe, 0x07, 0x22, 0xa2, 0xff, 0x01, 0x00,
}

// halves is a w×h image, red on the left half and blue on the right.
func halves(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{255, 0, 0, 255}
			if x >= w/2 {
				c = color.RGBA{0, 0, 255, 255}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

func encodePNG(t testing.TB, img image.Image) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withEXIF inserts an APP1 EXIF segment with an orientation tag, a GPS IFD pointer and
// a camera string after the JPEG's SOI, as phones write them.
func withEXIF(jpg []byte, orientation uint16) []byte {
	tiff := []byte("II*\x00\x08\x00\x00\x00")
	entries := []struct {
		tag, typ uint16
		count    uint32
		value    uint32
	}{{0x0112, 3, 1, uint32(orientation)}, {0x8825, 4, 1, 0}}
	ifd := binary.LittleEndian.AppendUint16(nil, uint16(len(entries)))
	for _, e := range entries {
		ifd = binary.LittleEndian.AppendUint16(ifd, e.tag)
		ifd = binary.LittleEndian.AppendUint16(ifd, e.typ)
		ifd = binary.LittleEndian.AppendUint32(ifd, e.count)
		ifd = binary.LittleEndian.AppendUint32(ifd, e.value)
	}
	ifd = append(ifd, 0, 0, 0, 0)
	payload := append(append([]byte("Exif\x00\x00"), append(tiff, ifd...)...), []byte("GPS 48.8584N 2.2945E Pixel 9")...)
	seg := []byte{0xFF, 0xE1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(payload)+2))
	seg = append(seg, payload...)
	return append(append(append([]byte{}, jpg[:2]...), seg...), jpg[2:]...)
}

func TestSniff(t *testing.T) {
	pngData := encodePNG(t, halves(4, 4))
	var gifBuf bytes.Buffer
	gif.Encode(&gifBuf, halves(4, 4), nil)
	cases := []struct {
		name string
		data []byte
		want Format
	}{
		{"png", pngData, PNG},
		{"jpeg", encodeJPEG(t, halves(4, 4)), JPEG},
		{"gif", gifBuf.Bytes(), GIF},
		{"webp", tinyWebP, WebP},
		{"mp4", []byte("\x00\x00\x00\x20ftypisom\x00\x00\x02\x00"), MP4},
		{"mov", []byte("\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00"), MOV},
		{"m4a", []byte("\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00"), M4A},
		{"avif", []byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00"), AVIF},
		{"heic", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00"), HEIC},
		{"webm", []byte{0x1A, 0x45, 0xDF, 0xA3, 0x01}, WebM},
		{"ogg", []byte("OggS\x00\x02"), OGG},
		{"mp3 id3", []byte("ID3\x04\x00"), MP3},
		{"mp3 frame", []byte{0xFF, 0xFB, 0x90, 0x64}, MP3},
		{"wav", []byte("RIFF\x24\x00\x00\x00WAVEfmt "), WAV},
		{"flac", []byte("fLaC\x00"), FLAC},
	}
	for _, c := range cases {
		if got, err := Sniff(c.data); err != nil || got != c.want {
			t.Errorf("Sniff(%s) = %v, %v; want %v", c.name, got.MIME, err, c.want.MIME)
		}
	}
	refused := map[string][]byte{
		"html with a PNG inside": append([]byte("<html><body><script>alert(1)</script>"), pngData...),
		"text":                   []byte("just words, named photo.jpg"),
		"pdf":                    []byte("%PDF-1.4\n"),
		"zip":                    []byte("PK\x03\x04"),
		"svg":                    []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`),
	}
	for name, data := range refused {
		if f, err := Sniff(data); err == nil {
			t.Errorf("Sniff(%s) = %v; want a refusal", name, f.MIME)
		} else if _, ok := IsRefusal(err); !ok {
			t.Errorf("Sniff(%s) error %v is not a refusal", name, err)
		}
	}
}

func TestOrientationAppliedAndMetadataStripped(t *testing.T) {
	src := withEXIF(encodeJPEG(t, halves(40, 20)), 6) // stored sideways: shown rotated 90° clockwise
	if exifOrientation(src) != 6 {
		t.Fatalf("fixture orientation = %d", exifOrientation(src))
	}
	res, err := ProcessImage(src, JPEG)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jpeg.Decode(bytes.NewReader(res.Original.Data))
	if err != nil {
		t.Fatalf("output does not decode: %v", err)
	}
	if b := out.Bounds(); b.Dx() != 20 || b.Dy() != 40 {
		t.Fatalf("upright size = %v; want 20×40", b.Size())
	}
	// Rotating clockwise puts the stored left (red) half on top.
	if r, _, b, _ := out.At(10, 5).RGBA(); r < b {
		t.Errorf("top of upright image is not red")
	}
	if r, _, b, _ := out.At(10, 35).RGBA(); b < r {
		t.Errorf("bottom of upright image is not blue")
	}
	for _, data := range [][]byte{res.Original.Data, res.Preview.Data} {
		if bytes.Contains(data, []byte("Exif")) || bytes.Contains(data, []byte("GPS")) || exifOrientation(data) != 1 {
			t.Errorf("output still carries EXIF metadata")
		}
	}
}

func TestEveryOrientation(t *testing.T) {
	for o := 1; o <= 8; o++ {
		res, err := ProcessImage(withEXIF(encodeJPEG(t, halves(40, 20)), uint16(o)), JPEG)
		if err != nil {
			t.Fatalf("orientation %d: %v", o, err)
		}
		w, h := 40, 20
		if o >= 5 {
			w, h = 20, 40
		}
		if res.Original.Width != w || res.Original.Height != h {
			t.Errorf("orientation %d: %d×%d; want %d×%d", o, res.Original.Width, res.Original.Height, w, h)
		}
	}
}

func TestSizesAndFormats(t *testing.T) {
	big := image.NewRGBA(image.Rect(0, 0, 4000, 3000))
	cases := []struct {
		name     string
		data     []byte
		f        Format
		wantType string
	}{
		{"12 MP PNG keeps PNG", encodePNG(t, big), PNG, "image/png"},
		{"JPEG", encodeJPEG(t, halves(800, 600)), JPEG, "image/jpeg"},
		{"WebP with no alpha becomes JPEG", tinyWebP, WebP, "image/jpeg"},
	}
	for _, c := range cases {
		res, err := ProcessImage(c.data, c.f)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		o, p := res.Original, res.Preview
		if o.ContentType != c.wantType || o.Width*o.Height > MaxOriginalPixels || p.Width*p.Height > MaxPreviewPixels {
			t.Errorf("%s: original %s %d×%d, preview %d×%d", c.name, o.ContentType, o.Width, o.Height, p.Width, p.Height)
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(o.Data))
		if err != nil || cfg.Width != o.Width || cfg.Height != o.Height {
			t.Errorf("%s: stored original reads back as %v, %v", c.name, cfg, err)
		}
		if len(res.Blurhash) != 28 { // 4×3 components
			t.Errorf("%s: blurhash %q", c.name, res.Blurhash)
		}
	}
}

// bombPNG is a valid PNG header claiming w×h pixels, with its checksum right.
func bombPNG(t *testing.T, w, h uint32) []byte {
	data := encodePNG(t, image.NewGray(image.Rect(0, 0, 1, 1)))
	binary.BigEndian.PutUint32(data[16:], w)
	binary.BigEndian.PutUint32(data[20:], h)
	binary.BigEndian.PutUint32(data[29:], crc32.ChecksumIEEE(data[12:29]))
	return data
}

func TestRefusals(t *testing.T) {
	jpg := encodeJPEG(t, halves(64, 64))
	cases := map[string]struct {
		data []byte
		f    Format
	}{
		"decompression bomb":  {bombPNG(t, 100000, 100000), PNG},
		"wide bomb":           {bombPNG(t, 1<<30, 2), PNG},
		"truncated JPEG":      {jpg[:len(jpg)/2], JPEG},
		"PNG sniffed as JPEG": {encodePNG(t, halves(4, 4)), JPEG},
		"AVIF":                {[]byte("\x00\x00\x00\x1cftypavif"), AVIF},
	}
	for name, c := range cases {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := ProcessImage(c.data, c.f)
		runtime.ReadMemStats(&after)
		if _, ok := IsRefusal(err); !ok {
			t.Errorf("%s: err = %v; want a refusal", name, err)
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 8<<20 {
			t.Errorf("%s: allocated %d bytes before refusing", name, grew)
		}
	}
}

func TestPolyglotLosesItsPayload(t *testing.T) {
	data := append(encodePNG(t, halves(8, 8)), []byte("<html><script>alert(document.cookie)</script>")...)
	res, err := ProcessImage(data, PNG)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(res.Original.Data, []byte("<script>")) {
		t.Errorf("re-encoded image still carries the appended script")
	}
}

func TestAnimated(t *testing.T) {
	pal := color.Palette{color.Black, color.White}
	frame := func() *image.Paletted { return image.NewPaletted(image.Rect(0, 0, 4, 4), pal) }
	for _, n := range []int{1, 3} {
		g := &gif.GIF{}
		for i := 0; i < n; i++ {
			g.Image, g.Delay = append(g.Image, frame()), append(g.Delay, 10)
		}
		var b bytes.Buffer
		if err := gif.EncodeAll(&b, g); err != nil {
			t.Fatal(err)
		}
		if got, err := Animated(b.Bytes()); err != nil || got != (n > 1) {
			t.Errorf("Animated(%d frames) = %v, %v", n, got, err)
		}
	}
	if _, err := Animated([]byte("GIF89a\x01")); err == nil {
		t.Errorf("Animated(truncated) = nil error")
	}
}

func TestCrop(t *testing.T) {
	cases := []struct{ w, h, tw, th, ww, wh int }{
		{1000, 500, 400, 400, 400, 400},
		{300, 200, 400, 400, 200, 200},
		{3000, 3000, 1500, 500, 1500, 500},
	}
	for _, c := range cases {
		b := Crop(image.NewRGBA(image.Rect(0, 0, c.w, c.h)), c.tw, c.th).Bounds()
		if b.Dx() != c.ww || b.Dy() != c.wh {
			t.Errorf("Crop(%d×%d, %d×%d) = %d×%d; want %d×%d", c.w, c.h, c.tw, c.th, b.Dx(), b.Dy(), c.ww, c.wh)
		}
	}
}

func TestSupportedTypes(t *testing.T) {
	without := strings.Join(SupportedTypes(nil), " ")
	if strings.Contains(without, "video/") || !strings.Contains(without, "image/webp") {
		t.Errorf("without ffmpeg: %s", without)
	}
	if with := strings.Join(SupportedTypes(&FFmpeg{}), " "); !strings.Contains(with, "video/mp4") || !strings.Contains(with, "audio/mpeg") {
		t.Errorf("with ffmpeg: %s", with)
	}
}
