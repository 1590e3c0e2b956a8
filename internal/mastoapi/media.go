package mastoapi

import (
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/media"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

// maxUploadBody bounds a multipart upload: the largest file plus room for the other fields.
const maxUploadBody = media.MaxVideoBytes + 1<<20

// maxProfileUploadBody bounds a profile update: an avatar and a header at most.
const maxProfileUploadBody = 2*media.MaxImageBytes + 1<<20

// readUploads parses a multipart body of up to limit bytes before ParseParams, whose
// limit is for ordinary forms; files beyond a few MB spill to temporary files that the
// server removes after the request.
func readUploads(w http.ResponseWriter, r *http.Request, limit int64) error {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "multipart/form-data" || r.Body == nil {
		return nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return err
		}
		return httpx.BadRequest("Malformed request body: %v", err)
	}
	return nil
}

// formFile reads an uploaded file field; nil when absent. Its name is never used.
func formFile(r *http.Request, key string) ([]byte, string, error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File[key]) == 0 {
		return nil, "", nil
	}
	fh := r.MultipartForm.File[key][0]
	if fh.Size > media.MaxVideoBytes {
		return nil, "", httpx.Errorf(http.StatusRequestEntityTooLarge, "Validation failed: File must be smaller than %d MB", media.MaxVideoBytes>>20)
	}
	f, err := fh.Open()
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	return data, fh.Header.Get("Content-Type"), err
}

func (a *API) uploadMedia(queued bool) httpx.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		auth, err := member(r, "write:media")
		if err != nil {
			return err
		}
		up, err := uploadParams(w, r)
		if err != nil {
			return err
		}
		m, err := a.Social.UploadMedia(r.Context(), auth.Account, up, queued)
		if err != nil {
			return err
		}
		if m.State == model.MediaProcessing {
			return httpx.WriteJSON(w, http.StatusAccepted, a.render.MediaAttachment(m))
		}
		return httpx.OK(w, a.render.MediaAttachment(m))
	}
}

func uploadParams(w http.ResponseWriter, r *http.Request) (social.Upload, error) {
	var up social.Upload
	if err := readUploads(w, r, maxUploadBody); err != nil {
		return up, err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return up, err
	}
	if up.Data, up.DeclaredType, err = formFile(r, "file"); err != nil {
		return up, err
	}
	if up.Data == nil {
		return up, httpx.Unprocessable("Validation failed: File can't be blank")
	}
	if up.Thumbnail, _, err = formFile(r, "thumbnail"); err != nil {
		return up, err
	}
	up.Description, up.Focus = optString(p, "description"), optString(p, "focus")
	return up, nil
}

// renderMedia answers 206 while an attachment is processed, 422 if that failed, else 200.
func (a *API) renderMedia(w http.ResponseWriter, m *model.MediaAttachment) error {
	switch m.State {
	case model.MediaProcessing:
		return httpx.WriteJSON(w, http.StatusPartialContent, a.render.MediaAttachment(m))
	case model.MediaFailed:
		return httpx.Unprocessable("Error processing the uploaded media: the file could not be converted")
	}
	return httpx.OK(w, a.render.MediaAttachment(m))
}

func (a *API) getMedia(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:media")
	if err != nil {
		return err
	}
	mediaID, err := pathID(r)
	if err != nil {
		return err
	}
	m, err := a.Social.OwnMedia(r.Context(), auth.Account, mediaID)
	if err != nil {
		return err
	}
	return a.renderMedia(w, m)
}

func (a *API) updateMedia(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:media")
	if err != nil {
		return err
	}
	mediaID, err := pathID(r)
	if err != nil {
		return err
	}
	if err := readUploads(w, r, media.MaxImageBytes+1<<20); err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	u := social.MediaUpdate{Description: optString(p, "description"), Focus: optString(p, "focus")}
	if u.Thumbnail, _, err = formFile(r, "thumbnail"); err != nil {
		return err
	}
	m, err := a.Social.UpdateMedia(r.Context(), auth.Account, mediaID, u)
	if err != nil {
		return err
	}
	return a.renderMedia(w, m)
}

func (a *API) deleteMedia(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:media")
	if err != nil {
		return err
	}
	mediaID, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.Social.DeleteMedia(r.Context(), auth.Account, mediaID); err != nil {
		return err
	}
	return httpx.OK(w, struct{}{})
}

// mediaIDs reads media_ids[]; an id that is not one is a missing attachment.
func mediaIDs(p httpx.Params) ([]int64, error) {
	var out []int64
	for _, raw := range p.List("media_ids") {
		if raw == "" {
			continue
		}
		v, ok := id.Parse(raw)
		if !ok {
			return nil, httpx.Unprocessable("Validation failed: Media %s not found or already attached to another post", quoteID(raw))
		}
		out = append(out, v)
	}
	return out, nil
}

func quoteID(raw string) string {
	if len(raw) > 30 {
		raw = raw[:30]
	}
	return raw
}

// profileImages reads avatar and header files for the profile updates: multipart
// files, or data: URIs in ordinary fields, which Mastodon also accepts and some client
// libraries send.
func profileImages(r *http.Request, p httpx.Params, u *social.ProfileUpdate) error {
	for key, dst := range map[string]*[]byte{"avatar": &u.Avatar, "header": &u.Header} {
		data, _, err := formFile(r, key)
		if err != nil {
			return err
		}
		if data == nil && strings.HasPrefix(p.Get(key), "data:") {
			if data, err = dataURI(p.Get(key)); err != nil {
				return httpx.Unprocessable("Validation failed: %s is not a valid base64 data URI", key)
			}
		}
		*dst = data
	}
	return nil
}

// dataURI decodes "data:<type>;base64,<bytes>"; the declared type is ignored like any other.
func dataURI(s string) ([]byte, error) {
	head, payload, ok := strings.Cut(strings.TrimPrefix(s, "data:"), ",")
	if !ok || !strings.HasSuffix(head, ";base64") {
		return nil, errors.New("not a base64 data URI")
	}
	return base64.StdEncoding.DecodeString(payload)
}
