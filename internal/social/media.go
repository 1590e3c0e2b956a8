package social

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/media"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// Upload is a file a member uploads, with the attachment's details.
type Upload struct {
	Data         []byte
	DeclaredType string  // the client's Content-Type: compared with the bytes, never trusted
	Description  *string // nil: none
	Focus        *string // "x,y"; nil: centre
	Thumbnail    []byte  // a custom preview image; nil: none
}

// MediaUpdate changes an attachment; nil fields are unchanged.
type MediaUpdate struct {
	Description *string
	Focus       *string
	Thumbnail   []byte
}

const maxMediaDescription = 1500

// Errors about media, worded after Mastodon's.
var (
	ErrMediaInUse      = httpx.Unprocessable("Media attachment is currently used by a status")
	ErrMediaProcessing = httpx.Unprocessable("Cannot attach files that have not finished processing. Try again in a moment!")
)

// UploadMedia stores an upload as an unattached attachment of actor's. Images are
// processed at once; video, gifv and audio are verified at once and, when queued is
// true, processed on the queue (the attachment answers "processing" until then).
func (s *Service) UploadMedia(ctx context.Context, actor *model.Account, up Upload, queued bool) (*model.MediaAttachment, error) {
	f, err := checkUpload(up.Data, up.DeclaredType)
	if err != nil {
		return nil, err
	}
	m := &model.MediaAttachment{ID: s.Store.NewID(), AccountID: actor.ID, State: model.MediaReady}
	if err := applyMediaDetails(m, up.Description, up.Focus); err != nil {
		return nil, err
	}
	if err := s.processUpload(ctx, m, up.Data, f, queued); err != nil {
		return nil, err
	}
	if up.Thumbnail != nil {
		if err := s.storeThumbnail(ctx, m, up.Thumbnail); err != nil {
			s.dropObjects(ctx, m.FileKey, m.PreviewKey, m.UploadKey)
			return nil, err
		}
	}
	err = s.Store.Tx(ctx, func(q store.Q) error {
		if err := q.InsertMedia(ctx, m); err != nil {
			return err
		}
		if m.State == model.MediaProcessing {
			return s.Jobs.Enqueue(ctx, q, ProcessMediaArgs{ID: m.ID}, nil)
		}
		return nil
	})
	if err != nil {
		s.dropObjects(ctx, m.FileKey, m.PreviewKey, m.UploadKey, m.ThumbnailKey)
		return nil, err
	}
	return m, nil
}

// checkUpload names the upload's format from its bytes and applies the size limits.
func checkUpload(data []byte, declared string) (media.Format, error) {
	if len(data) == 0 {
		return media.Format{}, httpx.Unprocessable("Validation failed: File can't be blank")
	}
	f, err := media.Sniff(data[:min(len(data), 512)])
	if err != nil {
		return f, mediaError(err)
	}
	limit := media.MaxVideoBytes
	if f.Kind == media.Image {
		limit = media.MaxImageBytes
	}
	if len(data) > limit {
		return f, httpx.Errorf(http.StatusRequestEntityTooLarge, "Validation failed: File must be smaller than %d MB", limit>>20)
	}
	family, _, _ := strings.Cut(strings.ToLower(declared), "/")
	actual, _, _ := strings.Cut(f.MIME, "/")
	if (family == "image" || family == "video" || family == "audio") && family != actual {
		return f, httpx.Unprocessable("Validation failed: File was sent as %s but its content is %s", quoteShort(declared), f.MIME)
	}
	return f, nil
}

// mediaError turns processing refusals into the client's 422.
func mediaError(err error) error {
	e, ok := media.IsRefusal(err)
	if !ok {
		return err
	}
	return &httpx.Error{Code: http.StatusUnprocessableEntity, Msg: "Validation failed: " + e.Msg, Err: e.Err}
}

func (s *Service) processUpload(ctx context.Context, m *model.MediaAttachment, data []byte, f media.Format, queued bool) error {
	animated := false
	if f == media.GIF {
		var err error
		if animated, err = media.Animated(data); err != nil {
			return mediaError(err)
		}
	}
	if f.Kind == media.Image && !animated {
		res, err := s.processImage(ctx, data, f)
		if err != nil {
			return mediaError(err)
		}
		return s.storeResult(ctx, m, res)
	}
	kind, err := s.FFmpeg.Check(ctx, data, f)
	if err != nil {
		return mediaError(err)
	}
	if !queued || s.Jobs == nil {
		res, err := s.FFmpeg.Process(ctx, data, f)
		if err != nil {
			return mediaError(err)
		}
		return s.storeResult(ctx, m, res)
	}
	m.Type, m.State, m.UploadType = string(kind), model.MediaProcessing, f.MIME
	m.UploadKey = fmt.Sprintf("uploads/%d-%s", m.ID, token())
	return s.put(ctx, m.UploadKey, data, "application/octet-stream")
}

// storeResult puts a processed upload's files and records them on m.
func (s *Service) storeResult(ctx context.Context, m *model.MediaAttachment, res *media.Result) error {
	tok := token()
	file := fmt.Sprintf("media_attachments/%d/original-%s.%s", m.ID, tok, res.Original.Ext)
	if err := s.put(ctx, file, res.Original.Data, res.Original.ContentType); err != nil {
		return err
	}
	m.FileKey, m.FileSize, m.ContentType = file, int64(len(res.Original.Data)), res.Original.ContentType
	m.Type, m.Blurhash, m.State = string(res.Kind), res.Blurhash, model.MediaReady
	m.Meta.Original, m.Meta.Small = mediaSize(res.Original.Dimensions), nil
	m.PreviewKey = ""
	if p := res.Preview; p != nil {
		m.PreviewKey = fmt.Sprintf("media_attachments/%d/small-%s.%s", m.ID, tok, p.Ext)
		if err := s.put(ctx, m.PreviewKey, p.Data, p.ContentType); err != nil {
			s.dropObjects(ctx, file)
			return err
		}
		m.Meta.Small = mediaSize(p.Dimensions)
	}
	return nil
}

func mediaSize(d media.Dimensions) *model.MediaSize {
	return &model.MediaSize{Width: d.Width, Height: d.Height, FrameRate: d.FrameRate, Duration: d.Duration, Bitrate: d.Bitrate}
}

// storeThumbnail processes a custom preview image and records it on m.
func (s *Service) storeThumbnail(ctx context.Context, m *model.MediaAttachment, data []byte) error {
	f, err := checkUpload(data, "")
	if err != nil {
		return err
	}
	if f.Kind != media.Image {
		return httpx.Unprocessable("Validation failed: Thumbnail must be an image, not %s", f.MIME)
	}
	res, err := s.processImage(ctx, data, f)
	if err != nil {
		return mediaError(err)
	}
	key := fmt.Sprintf("media_attachments/%d/thumbnail-%s.%s", m.ID, token(), res.Preview.Ext)
	if err := s.put(ctx, key, res.Preview.Data, res.Preview.ContentType); err != nil {
		return err
	}
	m.ThumbnailKey = key
	if m.Type != string(media.Image) {
		m.Blurhash = res.Blurhash
	}
	return nil
}

// put stores an object; a backend failure is the client's 503, its cause logged.
func (s *Service) put(ctx context.Context, key string, data []byte, contentType string) error {
	if s.Media == nil {
		return &httpx.Error{Code: http.StatusServiceUnavailable, Msg: "Media storage is not configured on this server"}
	}
	if err := s.Media.Store.Put(ctx, key, bytes.NewReader(data), int64(len(data)), contentType); err != nil {
		return &httpx.Error{Code: http.StatusServiceUnavailable, Msg: "Media storage is unavailable, try again later", Err: err}
	}
	return nil
}

// dropObjects deletes objects no row refers to any more; failures are only logged
// (the orphan clean-up finds what is left).
func (s *Service) dropObjects(ctx context.Context, keys ...string) {
	for _, k := range keys {
		if k == "" || s.Media == nil {
			continue
		}
		if err := s.Media.Store.Delete(ctx, k); err != nil {
			s.Log.WarnContext(ctx, "media object not deleted", "key", k, "err", err)
		}
	}
}

func token() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// applyMediaDetails validates and sets a description and focal point.
func applyMediaDetails(m *model.MediaAttachment, description, focus *string) error {
	if description != nil {
		if utf8.RuneCountInString(*description) > maxMediaDescription {
			return httpx.Unprocessable("Validation failed: Description is too long (maximum is %d characters)", maxMediaDescription)
		}
		m.Description = *description
	}
	if focus == nil {
		return nil
	}
	if strings.TrimSpace(*focus) == "" {
		m.Meta.Focus = nil
		return nil
	}
	fx, fy, ok := strings.Cut(*focus, ",")
	x, errX := strconv.ParseFloat(strings.TrimSpace(fx), 64)
	y, errY := strconv.ParseFloat(strings.TrimSpace(fy), 64)
	if !ok || errors.Join(errX, errY) != nil || x < -1 || x > 1 || y < -1 || y > 1 {
		return httpx.Unprocessable("Validation failed: Focus must be two numbers between -1.0 and 1.0, as \"x,y\"")
	}
	m.Meta.Focus = &model.MediaFocus{X: x, Y: y}
	return nil
}

// OwnMedia loads one of actor's attachments; anyone else's is a 404.
func (s *Service) OwnMedia(ctx context.Context, actor *model.Account, id int64) (*model.MediaAttachment, error) {
	m, err := s.Store.MediaByID(ctx, id)
	if err != nil {
		return nil, orNotFound(err)
	}
	if m.AccountID != actor.ID {
		return nil, ErrNotFound
	}
	return m, nil
}

// UpdateMedia changes the description, focal point or thumbnail of one of actor's attachments.
func (s *Service) UpdateMedia(ctx context.Context, actor *model.Account, id int64, u MediaUpdate) (*model.MediaAttachment, error) {
	m, err := s.OwnMedia(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if err := applyMediaDetails(m, u.Description, u.Focus); err != nil {
		return nil, err
	}
	oldThumb := m.ThumbnailKey
	if u.Thumbnail != nil {
		if err := s.storeThumbnail(ctx, m, u.Thumbnail); err != nil {
			return nil, err
		}
	}
	if err := s.Store.Writer().UpdateMedia(ctx, m); err != nil {
		return nil, err
	}
	if m.ThumbnailKey != oldThumb {
		s.dropObjects(ctx, oldThumb)
	}
	return m, nil
}

// DeleteMedia removes one of actor's attachments that no status uses.
func (s *Service) DeleteMedia(ctx context.Context, actor *model.Account, id int64) error {
	m, err := s.OwnMedia(ctx, actor, id)
	if err != nil {
		return err
	}
	if m.StatusID != nil {
		return ErrMediaInUse
	}
	return s.removeMedia(ctx, m)
}

func (s *Service) removeMedia(ctx context.Context, m *model.MediaAttachment) error {
	if err := s.Store.Writer().DeleteMedia(ctx, m.ID); err != nil {
		return err
	}
	s.dropObjects(ctx, m.FileKey, m.PreviewKey, m.ThumbnailKey, m.UploadKey)
	return nil
}

// processImage processes a still image once one of the ImageSlots is free.
func (s *Service) processImage(ctx context.Context, data []byte, f media.Format) (*media.Result, error) {
	release, err := s.imageSlot(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	return media.ProcessImage(data, f)
}

// imageSlot waits for one of the ImageSlots; release gives it back.
func (s *Service) imageSlot(ctx context.Context) (release func(), err error) {
	if s.ImageSlots == nil {
		return func() {}, nil
	}
	select {
	case s.ImageSlots <- struct{}{}:
		return func() { <-s.ImageSlots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
