// Package media turns uploaded bytes into the files tusk stores and serves: it tells the
// type from the bytes alone, refuses what it cannot process safely, re-encodes images
// (oriented, resized, stripped of metadata) and hands video and audio to ffmpeg.
package media

import (
	"errors"
	"fmt"
	"image"
)

// Kind is Mastodon's MediaAttachment type.
type Kind string

// The kinds of attachment.
const (
	Image Kind = "image"
	Gifv  Kind = "gifv"
	Video Kind = "video"
	Audio Kind = "audio"
)

// Size limits, as Mastodon's.
const (
	MaxImageBytes = 16 << 20
	MaxVideoBytes = 99 << 20
	// MaxInputPixels bounds the images tusk decodes at all (7680×4320, as Mastodon):
	// larger ones are refused from their header, before a pixel is allocated.
	MaxInputPixels = 7680 * 4320
	// MaxOriginalPixels is 3840×2160: larger originals are scaled down to it.
	MaxOriginalPixels = 3840 * 2160
	// MaxPreviewPixels is 640×360, the preview ("small") size.
	MaxPreviewPixels = 640 * 360
	// MaxVideoPixels is 1920×1080: larger videos are scaled down when transcoded.
	MaxVideoPixels = 1920 * 1080
	// MaxFrameRate is the highest frame rate of an uploaded video (output is capped at 60).
	MaxFrameRate = 120
)

// Error is a refusal the uploader is told about: an unsupported or corrupt file.
type Error struct {
	Msg string
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

func refuse(format string, args ...any) *Error { return &Error{Msg: fmt.Sprintf(format, args...)} }

func corrupt(what string, err error) *Error {
	return &Error{Msg: fmt.Sprintf("the file is not a valid %s", what), Err: err}
}

// ErrNoFFmpeg refuses video, audio and animated GIFs on a server without ffmpeg.
var ErrNoFFmpeg = &Error{Msg: "video, audio and animated GIF uploads need ffmpeg, which this server does not have"}

// IsRefusal reports whether err is a refusal of the input (as opposed to a server failure).
func IsRefusal(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Dimensions is a processed file's size as Mastodon's meta shows it.
type Dimensions struct {
	Width, Height int
	FrameRate     string  // video: "30/1"
	Duration      float64 // seconds, video and audio
	Bitrate       int64
}

// File is one output file.
type File struct {
	Data        []byte
	ContentType string
	Ext         string // without the dot
	Dimensions
	image image.Image // the pixels a preview was encoded from, for its blurhash
}

// Result is a processed upload: the file to serve, its preview (absent for audio),
// and the blurhash of the preview.
type Result struct {
	Kind     Kind
	Original File
	Preview  *File
	Blurhash string
}
