package media

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// FFmpeg runs Debian's (or any) ffmpeg and ffprobe. A nil *FFmpeg is a server without them.
type FFmpeg struct {
	FFmpeg, FFprobe string // paths of the binaries
	Timeout         time.Duration
}

// LocateFFmpeg finds ffmpeg and ffprobe: at FFMPEG_PATH (the ffmpeg binary, or the
// folder holding both) when set, else on PATH. It returns nil when either is missing.
func LocateFFmpeg(ffmpegPath string) *FFmpeg {
	ff, probe := "ffmpeg", "ffprobe"
	if ffmpegPath != "" {
		if st, err := os.Stat(ffmpegPath); err == nil && st.IsDir() {
			ff, probe = filepath.Join(ffmpegPath, "ffmpeg"), filepath.Join(ffmpegPath, "ffprobe")
		} else {
			ff, probe = ffmpegPath, filepath.Join(filepath.Dir(ffmpegPath), "ffprobe")
		}
	}
	ffBin, err1 := exec.LookPath(ff)
	probeBin, err2 := exec.LookPath(probe)
	if err1 != nil || err2 != nil {
		return nil
	}
	return &FFmpeg{FFmpeg: ffBin, FFprobe: probeBin, Timeout: 10 * time.Minute}
}

// Probe is what ffprobe says of a file.
type Probe struct {
	Format struct {
		Name     string `json:"format_name"`
		Duration string `json:"duration"`
		BitRate  string `json:"bit_rate"`
	} `json:"format"`
	Streams []Stream `json:"streams"`
}

// Stream is one stream of a probed file.
type Stream struct {
	Type      string `json:"codec_type"`
	Codec     string `json:"codec_name"`
	PixFmt    string `json:"pix_fmt"`
	Width     int    `json:"width"`
	Height    int    `json:"height"`
	FrameRate string `json:"avg_frame_rate"`
	Disposal  struct {
		AttachedPic int `json:"attached_pic"`
	} `json:"disposition"`
}

func (p *Probe) stream(kind string) *Stream {
	for i := range p.Streams {
		if s := &p.Streams[i]; s.Type == kind && s.Disposal.AttachedPic == 0 {
			return s
		}
	}
	return nil
}

// safeInput are the arguments that open path as format demux and nothing else: only the
// file protocol, an explicit demuxer (no playlist or concat guessing), no stdin.
func safeInput(demux, path string) []string {
	return []string{"-protocol_whitelist", "file", "-f", demux, "-i", "file:" + path}
}

func (x *FFmpeg) run(ctx context.Context, bin string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, x.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 300 {
			msg = msg[:300]
		}
		return nil, fmt.Errorf("%s: %w: %s", filepath.Base(bin), err, msg)
	}
	return stdout.Bytes(), nil
}

// ProbeFile runs ffprobe on a file of a verified format.
func (x *FFmpeg) ProbeFile(ctx context.Context, path string, f Format) (*Probe, error) {
	args := append([]string{"-v", "error", "-hide_banner"}, safeInput(f.Demux, path)...)
	out, err := x.run(ctx, x.FFprobe, append(args, "-show_format", "-show_streams", "-of", "json")...)
	if err != nil {
		return nil, corrupt(f.MIME+" file", err)
	}
	var p Probe
	if err := json.Unmarshal(out, &p); err != nil {
		return nil, fmt.Errorf("media: ffprobe output: %w", err)
	}
	return &p, nil
}

// KindOf decides what a probed upload becomes: a video without sound is a gifv, as in
// Mastodon; an MP4 with only sound is audio.
func KindOf(p *Probe, f Format) (Kind, error) {
	v, a := p.stream("video"), p.stream("audio")
	if v != nil && (v.Width*v.Height > MaxOriginalPixels || fps(v.FrameRate) > MaxFrameRate) {
		return "", refuse("the video is %d×%d at %s fps, beyond the %d pixels and %d fps this server accepts",
			v.Width, v.Height, v.FrameRate, MaxOriginalPixels, MaxFrameRate)
	}
	switch {
	case f == GIF:
		return Gifv, nil
	case f.Kind == Video && v != nil && a == nil:
		return Gifv, nil
	case f.Kind == Video && v != nil:
		return Video, nil
	case a != nil:
		return Audio, nil
	}
	return "", refuse("the %s file has no playable stream", f.MIME)
}

// Check verifies with ffprobe that data really is a playable file of format f, and
// says what it will become.
func (x *FFmpeg) Check(ctx context.Context, data []byte, f Format) (Kind, error) {
	if x == nil {
		return "", ErrNoFFmpeg
	}
	dir, err := os.MkdirTemp("", "tusk-media-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "input")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return "", err
	}
	p, err := x.ProbeFile(ctx, in, f)
	if err != nil {
		return "", err
	}
	return KindOf(p, f)
}

// Process transcodes a video, gifv or audio upload of a verified format: H.264/AAC MP4
// (copied when already so) with a preview frame, or MP3. Metadata is dropped.
func (x *FFmpeg) Process(ctx context.Context, data []byte, f Format) (*Result, error) {
	if x == nil {
		return nil, ErrNoFFmpeg
	}
	dir, err := os.MkdirTemp("", "tusk-media-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "input")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return nil, err
	}
	p, err := x.ProbeFile(ctx, in, f)
	if err != nil {
		return nil, err
	}
	kind, err := KindOf(p, f)
	if err != nil {
		return nil, err
	}
	if kind == Audio {
		return x.audio(ctx, dir, in, f, p)
	}
	return x.video(ctx, dir, in, f, p, kind)
}

func (x *FFmpeg) audio(ctx context.Context, dir, in string, f Format, p *Probe) (*Result, error) {
	out := filepath.Join(dir, "output.mp3")
	codec := []string{"-c:a", "libmp3lame", "-q:a", "2"}
	if p.stream("audio").Codec == "mp3" {
		codec = []string{"-c:a", "copy"}
	}
	args := append(safeInput(f.Demux, in), "-map", "0:a:0", "-vn", "-map_metadata", "-1")
	args = append(append(args, codec...), "-f", "mp3", "file:"+out)
	if err := x.ffmpeg(ctx, args); err != nil {
		return nil, err
	}
	file, err := x.describe(ctx, out, MP3, "audio/mpeg", "mp3")
	if err != nil {
		return nil, err
	}
	return &Result{Kind: Audio, Original: *file}, nil
}

func (x *FFmpeg) video(ctx context.Context, dir, in string, f Format, p *Probe, kind Kind) (*Result, error) {
	out := filepath.Join(dir, "output.mp4")
	args := append(safeInput(f.Demux, in), "-map", "0:v:0")
	if kind == Video {
		args = append(args, "-map", "0:a:0")
	}
	args = append(args, "-map_metadata", "-1", "-movflags", "+faststart")
	args = append(append(args, videoCodec(p, f, kind)...), "-f", "mp4", "file:"+out)
	if err := x.ffmpeg(ctx, args); err != nil {
		return nil, err
	}
	file, err := x.describe(ctx, out, MP4, "video/mp4", "mp4")
	if err != nil {
		return nil, err
	}
	res := &Result{Kind: kind, Original: *file}
	if err := x.previewFrame(ctx, out, res); err != nil {
		return nil, err
	}
	return res, nil
}

// videoCodec copies streams that are already H.264/AAC in MP4 within the limits and
// transcodes anything else, scaled into MaxVideoPixels with even sides and at most 60 fps.
func videoCodec(p *Probe, f Format, kind Kind) []string {
	v, a := p.stream("video"), p.stream("audio")
	audioOK := kind == Gifv || (a != nil && a.Codec == "aac")
	if f == MP4 && v.Codec == "h264" && v.PixFmt == "yuv420p" && audioOK && v.Width*v.Height <= MaxVideoPixels && fps(v.FrameRate) <= 60 {
		return []string{"-c", "copy"}
	}
	w, h, _ := fitPixels(v.Width, v.Height, MaxVideoPixels)
	w, h = max(2, w&^1), max(2, h&^1)
	args := []string{"-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
		"-vf", fmt.Sprintf("scale=%d:%d", w, h), "-fpsmax", "60"}
	if kind == Gifv {
		return append(args, "-an")
	}
	return append(args, "-c:a", "aac", "-b:a", "160k")
}

func (x *FFmpeg) ffmpeg(ctx context.Context, args []string) error {
	base := []string{"-nostdin", "-hide_banner", "-loglevel", "error", "-y"}
	if _, err := x.run(ctx, x.FFmpeg, append(base, args...)...); err != nil {
		return corrupt("media file", err)
	}
	return nil
}

// describe reads back an output file with its meta.
func (x *FFmpeg) describe(ctx context.Context, path string, f Format, contentType, ext string) (*File, error) {
	p, err := x.ProbeFile(ctx, path, f)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	file := &File{Data: data, ContentType: contentType, Ext: ext}
	file.Duration, _ = strconv.ParseFloat(p.Format.Duration, 64)
	file.Bitrate, _ = strconv.ParseInt(p.Format.BitRate, 10, 64)
	if v := p.stream("video"); v != nil {
		file.Width, file.Height, file.FrameRate = v.Width, v.Height, v.FrameRate
	}
	return file, nil
}

// previewFrame takes the first frame of a transcoded video as its preview.
func (x *FFmpeg) previewFrame(ctx context.Context, path string, res *Result) error {
	args := append([]string{"-nostdin", "-hide_banner", "-loglevel", "error"}, safeInput("mov", path)...)
	out, err := x.run(ctx, x.FFmpeg, append(args, "-frames:v", "1", "-f", "image2pipe", "-c:v", "png", "pipe:1")...)
	if err != nil {
		return fmt.Errorf("media: preview frame: %w", err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		return fmt.Errorf("media: preview frame: %w", err)
	}
	if res.Preview, err = Preview(img); err != nil {
		return err
	}
	res.Blurhash = Blurhash(res.Preview.image)
	return nil
}

func fps(rate string) float64 {
	num, den, ok := strings.Cut(rate, "/")
	n, err1 := strconv.ParseFloat(num, 64)
	if !ok {
		return n
	}
	d, err2 := strconv.ParseFloat(den, 64)
	if err := errors.Join(err1, err2); err != nil || d == 0 {
		return 0
	}
	return n / d
}
