package media

import (
	"bytes"
	"net/http"
)

// Format is a verified file format: what the bytes are, never what the uploader said.
type Format struct {
	MIME  string
	Kind  Kind
	Demux string // ffmpeg's demuxer for it, given explicitly so ffmpeg never guesses
}

// Formats tusk recognises. AVIF and HEIC are recognised to be refused by name: no
// decoder for them ships with tusk.
var (
	JPEG = Format{MIME: "image/jpeg", Kind: Image}
	PNG  = Format{MIME: "image/png", Kind: Image}
	GIF  = Format{MIME: "image/gif", Kind: Image, Demux: "gif"}
	WebP = Format{MIME: "image/webp", Kind: Image}
	AVIF = Format{MIME: "image/avif", Kind: Image}
	HEIC = Format{MIME: "image/heic", Kind: Image}
	MP4  = Format{MIME: "video/mp4", Kind: Video, Demux: "mov"}
	MOV  = Format{MIME: "video/quicktime", Kind: Video, Demux: "mov"}
	WebM = Format{MIME: "video/webm", Kind: Video, Demux: "matroska"}
	M4A  = Format{MIME: "audio/mp4", Kind: Audio, Demux: "mov"}
	MP3  = Format{MIME: "audio/mpeg", Kind: Audio, Demux: "mp3"}
	OGG  = Format{MIME: "audio/ogg", Kind: Audio, Demux: "ogg"}
	WAV  = Format{MIME: "audio/wave", Kind: Audio, Demux: "wav"}
	FLAC = Format{MIME: "audio/flac", Kind: Audio, Demux: "flac"}
)

// Sniff names the format of a file from its first bytes (512 are enough); a format
// tusk does not process is a refusal naming what the bytes looked like.
func Sniff(head []byte) (Format, error) {
	if f, ok := sniffMagic(head); ok {
		return f, nil
	}
	detected := http.DetectContentType(head)
	return Format{}, refuse("unsupported file type %s", detected)
}

func sniffMagic(b []byte) (Format, bool) {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return JPEG, true
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return PNG, true
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return GIF, true
	case riff(b, "WEBP"):
		return WebP, true
	case riff(b, "WAVE"):
		return WAV, true
	case len(b) >= 12 && string(b[4:8]) == "ftyp":
		return isoBrand(b)
	case bytes.HasPrefix(b, []byte{0x1A, 0x45, 0xDF, 0xA3}):
		return WebM, true
	case bytes.HasPrefix(b, []byte("OggS")):
		return OGG, true
	case bytes.HasPrefix(b, []byte("fLaC")):
		return FLAC, true
	case bytes.HasPrefix(b, []byte("ID3")), mp3Frame(b):
		return MP3, true
	}
	return Format{}, false
}

func riff(b []byte, form string) bool {
	return len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == form
}

// isoBrand reads the major brand of an ISO base media file (MP4, MOV, M4A, AVIF, HEIC).
func isoBrand(b []byte) (Format, bool) {
	switch string(b[8:12]) {
	case "avif", "avis":
		return AVIF, true
	case "heic", "heix", "heim", "heis", "hevc", "mif1", "msf1":
		return HEIC, true
	case "M4A ", "M4B ":
		return M4A, true
	case "qt  ":
		return MOV, true
	case "isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "M4V ", "M4VH", "M4VP", "dash", "3gp4", "3gp5", "3gp6", "3g2a", "MSNV", "f4v ":
		return MP4, true
	}
	return Format{}, false
}

// mp3Frame recognises a bare MPEG audio frame header (layer III, valid bitrate and rate).
func mp3Frame(b []byte) bool {
	if len(b) < 4 || b[0] != 0xFF || b[1]&0xE0 != 0xE0 {
		return false
	}
	layer := (b[1] >> 1) & 3
	bitrate, rate := b[2]>>4, (b[2]>>2)&3
	return layer == 1 && bitrate != 0 && bitrate != 15 && rate != 3
}

// SupportedTypes lists the MIME types this server can process: images always, video and
// audio only with ffmpeg.
func SupportedTypes(ff *FFmpeg) []string {
	out := []string{JPEG.MIME, PNG.MIME, GIF.MIME, WebP.MIME}
	if ff != nil {
		for _, f := range []Format{MP4, MOV, WebM, M4A, MP3, OGG, WAV, FLAC} {
			out = append(out, f.MIME)
		}
	}
	return out
}
