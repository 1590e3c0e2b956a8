package model

import "time"

// Media attachment processing states.
const (
	MediaReady      = "ready"
	MediaProcessing = "processing"
	MediaFailed     = "failed"
)

// MediaAttachment is an uploaded image, video or audio file, attached to at most one status.
type MediaAttachment struct {
	ID           int64
	AccountID    int64
	StatusID     *int64 // nil while unattached
	Position     int    // order on its status
	Type         string // image, gifv, video, audio, unknown
	ContentType  string // of the served file
	FileKey      string // blob key of the served file
	FileSize     int64
	PreviewKey   string // blob key of the preview image; "" for audio
	ThumbnailKey string // blob key of a custom thumbnail the uploader chose
	UploadKey    string // blob key of an upload waiting for processing
	UploadType   string // verified MIME type of that upload
	RemoteURL    string
	Description  string
	Blurhash     string
	Meta         MediaMeta
	State        string // MediaReady, MediaProcessing, MediaFailed
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// MediaMeta is what Mastodon's meta shows: the sizes of the file and its preview, and
// the focal point.
type MediaMeta struct {
	Original *MediaSize  `json:"original,omitempty"`
	Small    *MediaSize  `json:"small,omitempty"`
	Focus    *MediaFocus `json:"focus,omitempty"`
}

// MediaSize describes one file of an attachment.
type MediaSize struct {
	Width     int     `json:"width,omitempty"`
	Height    int     `json:"height,omitempty"`
	FrameRate string  `json:"frame_rate,omitempty"`
	Duration  float64 `json:"duration,omitempty"`
	Bitrate   int64   `json:"bitrate,omitempty"`
}

// MediaFocus is the focal point, each coordinate in [-1, 1].
type MediaFocus struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}
