package social

import (
	"context"
	"strings"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/media"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// MaxStatusMedia is how many attachments a status may carry, as Mastodon's.
const MaxStatusMedia = 4

// validateMediaIDs checks what can be checked of a status's media before loading them.
func validateMediaIDs(ids []int64, poll *model.PollParams) error {
	if len(ids) > MaxStatusMedia {
		return httpx.Unprocessable("Validation failed: Cannot attach more than %d files", MaxStatusMedia)
	}
	if len(ids) > 0 && poll != nil {
		return httpx.Unprocessable("Validation failed: Cannot attach both files and a poll")
	}
	return nil
}

// attachMedia sets a status's attachments: the author's own, ready, and unattached or
// already on this status. Attachments the status had and no longer lists are left
// unattached (and removed a day later unless used again).
func (s *Service) attachMedia(ctx context.Context, q store.Q, authorID, statusID int64, ids []int64) error {
	ids = uniqueIDs(ids)
	if err := s.checkAttachable(ctx, q, authorID, statusID, ids); err != nil {
		return err
	}
	return q.AttachMedia(ctx, statusID, ids)
}

// checkAttachable refuses media that are not the author's, not ready, attached to another
// status than statusID (0: any status), or reserved by a scheduled status.
func (s *Service) checkAttachable(ctx context.Context, q store.Q, authorID, statusID int64, ids []int64) error {
	list, err := q.MediaByIDs(ctx, ids)
	if err != nil {
		return err
	}
	reserved, err := q.IsMediaReserved(ctx, ids)
	if err != nil {
		return err
	}
	byID := map[int64]*model.MediaAttachment{}
	for _, m := range list {
		byID[m.ID] = m
	}
	var missing []string
	nonImage := false
	for _, mid := range ids {
		m := byID[mid]
		if m == nil || m.AccountID != authorID || (m.StatusID != nil && *m.StatusID != statusID) || reserved[mid] {
			missing = append(missing, id.Format(mid))
			continue
		}
		if m.State != model.MediaReady {
			return ErrMediaProcessing
		}
		nonImage = nonImage || m.Type != string(media.Image)
	}
	if len(missing) > 0 {
		return httpx.Unprocessable("Validation failed: Media %s not found or already attached to another post", strings.Join(missing, ", "))
	}
	if nonImage && len(ids) > 1 {
		return httpx.Unprocessable("Validation failed: Cannot attach a video or audio file to a post with other files")
	}
	return nil
}

// recordEditMedia remembers which attachments a status has in one of its versions.
func recordEditMedia(ctx context.Context, q store.Q, edit *model.StatusEdit) error {
	current, err := q.MediaOf(ctx, []int64{edit.StatusID})
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(current[edit.StatusID]))
	for _, m := range current[edit.StatusID] {
		ids = append(ids, m.ID)
	}
	return q.SetEditMedia(ctx, edit.ID, ids)
}

// loadEditMedia fills in the attachments of each version of a status; a version not
// recorded (the current one of a never-edited status) shows the status's media.
func (s *Service) loadEditMedia(ctx context.Context, statusID int64, versions []*EditView) error {
	byEdit, err := s.Store.EditMedia(ctx, statusID)
	if err != nil {
		return err
	}
	current, err := s.Store.MediaOf(ctx, []int64{statusID})
	if err != nil {
		return err
	}
	var all []int64
	for _, ids := range byEdit {
		all = append(all, ids...)
	}
	list, err := s.Store.MediaByIDs(ctx, uniqueIDs(all))
	if err != nil {
		return err
	}
	byID := map[int64]*model.MediaAttachment{}
	for _, m := range list {
		byID[m.ID] = m
	}
	for _, v := range versions {
		if v.ID == 0 {
			v.Media = current[statusID]
			continue
		}
		for _, mid := range byEdit[v.ID] {
			if m := byID[mid]; m != nil {
				v.Media = append(v.Media, m)
			}
		}
	}
	return nil
}
