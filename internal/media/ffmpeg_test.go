package media

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/gif"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// needFFmpeg skips video and audio tests on machines without ffmpeg (CI installs it).
func needFFmpeg(t testing.TB) *FFmpeg {
	t.Helper()
	ff := LocateFFmpeg(os.Getenv("FFMPEG_PATH"))
	if ff == nil {
		t.Skip("ffmpeg and ffprobe are not installed (apt-get install ffmpeg, or set FFMPEG_PATH): video and audio tests skipped")
	}
	return ff
}

// generate makes a fixture with ffmpeg's built-in sources.
func generate(t testing.TB, ff *FFmpeg, name string, args ...string) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), name)
	cmd := exec.Command(ff.FFmpeg, append(append([]string{"-v", "error", "-nostdin"}, args...), "-y", out)...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generate %s: %v: %s", name, err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

var (
	testVideo = []string{"-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=1"}
	testSound = []string{"-f", "lavfi", "-i", "sine=frequency=440:duration=1"}
)

func animatedGIF(t testing.TB) []byte {
	pal := color.Palette{color.Black, color.White, color.RGBA{255, 0, 0, 255}}
	g := &gif.GIF{}
	for i := 0; i < 5; i++ {
		frame := image.NewPaletted(image.Rect(0, 0, 32, 32), pal)
		for x := 0; x < 32; x++ {
			frame.SetColorIndex(x, i*6, 2)
		}
		g.Image, g.Delay = append(g.Image, frame), append(g.Delay, 10)
	}
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, g); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestFFmpegProcessing(t *testing.T) {
	ff := needFFmpeg(t)
	join := func(parts ...[]string) []string {
		var out []string
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	cases := []struct {
		name     string
		data     []byte
		kind     Kind
		mime     string
		preview  bool
		duration float64
	}{
		{"H.264/AAC MP4", generate(t, ff, "a.mp4", join(testVideo, testSound, []string{"-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"})...), Video, "video/mp4", true, 1},
		{"WebM VP8/Vorbis", generate(t, ff, "a.webm", join(testVideo, testSound, []string{"-c:v", "libvpx", "-c:a", "libvorbis", "-shortest"})...), Video, "video/mp4", true, 1},
		{"silent MP4 is gifv", generate(t, ff, "s.mp4", join(testVideo, []string{"-c:v", "libx264", "-pix_fmt", "yuv420p"})...), Gifv, "video/mp4", true, 1},
		{"animated GIF is gifv", animatedGIF(t), Gifv, "video/mp4", true, 0},
		{"MP3", generate(t, ff, "a.mp3", join(testSound, []string{"-c:a", "libmp3lame"})...), Audio, "audio/mpeg", false, 1},
		{"WAV", generate(t, ff, "a.wav", testSound...), Audio, "audio/mpeg", false, 1},
		{"Ogg Vorbis", generate(t, ff, "a.ogg", join(testSound, []string{"-c:a", "libvorbis"})...), Audio, "audio/mpeg", false, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := Sniff(c.data)
			if err != nil {
				t.Fatal(err)
			}
			res, err := ff.Process(context.Background(), c.data, f)
			if err != nil {
				t.Fatal(err)
			}
			o := res.Original
			if res.Kind != c.kind || o.ContentType != c.mime || (res.Preview != nil) != c.preview {
				t.Errorf("kind %s, type %s, preview %v; want %s, %s, %v", res.Kind, o.ContentType, res.Preview != nil, c.kind, c.mime, c.preview)
			}
			if c.duration > 0 && (o.Duration < c.duration*0.8 || o.Duration > c.duration*1.3) {
				t.Errorf("duration %v; want about %v", o.Duration, c.duration)
			}
			if c.kind != Audio && (o.Width == 0 || o.FrameRate == "" || res.Blurhash == "") {
				t.Errorf("video meta %+v, blurhash %q", o.Dimensions, res.Blurhash)
			}
			back, err := Sniff(o.Data)
			if err != nil || back.MIME != map[string]string{"video/mp4": MP4.MIME, "audio/mpeg": MP3.MIME}[c.mime] {
				t.Errorf("output sniffs as %v, %v", back.MIME, err)
			}
		})
	}
}

func TestFFmpegDropsMetadata(t *testing.T) {
	ff := needFFmpeg(t)
	data := generate(t, ff, "geo.mp4", append(testVideo, "-c:v", "libx264", "-pix_fmt", "yuv420p",
		"-metadata", "location=+48.8584+002.2945/", "-metadata", "title=my secret place", "-movflags", "use_metadata_tags")...)
	if !bytes.Contains(data, []byte("48.8584")) {
		t.Fatal("fixture lacks its location")
	}
	res, err := ff.Process(context.Background(), data, MP4)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(res.Original.Data, []byte("48.8584")) || bytes.Contains(res.Original.Data, []byte("secret place")) {
		t.Errorf("transcoded video keeps the uploader's metadata")
	}
}

func TestFFmpegRefusals(t *testing.T) {
	ff := needFFmpeg(t)
	mp4 := generate(t, ff, "a.mp4", append(testVideo, "-c:v", "libx264", "-pix_fmt", "yuv420p")...)
	cases := map[string][]byte{
		"truncated MP4":    mp4[:200],
		"MP4 header only":  []byte("\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"),
		"MP3 magic, noise": append([]byte("ID3\x04\x00\x00\x00\x00\x00\x00"), bytes.Repeat([]byte{0x55}, 4000)...),
	}
	for name, data := range cases {
		f, err := Sniff(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := ff.Check(context.Background(), data, f); err == nil {
			if _, err = ff.Process(context.Background(), data, f); err == nil {
				t.Errorf("%s: processed; want a refusal", name)
				continue
			}
		} else if _, ok := IsRefusal(err); !ok {
			t.Errorf("%s: %v is not a refusal", name, err)
		}
	}
	if _, err := Sniff([]byte("#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd\n")); err == nil {
		t.Errorf("a playlist was accepted")
	}
	var nilFF *FFmpeg
	if _, err := nilFF.Check(context.Background(), mp4, MP4); err != ErrNoFFmpeg || !strings.Contains(err.Error(), "ffmpeg") {
		t.Errorf("without ffmpeg: %v", err)
	}
}
