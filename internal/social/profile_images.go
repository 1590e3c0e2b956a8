package social

import (
	"context"
	"fmt"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/media"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// Avatar and header sizes, as Mastodon's: cropped to fill, never enlarged.
const (
	avatarSide                = 400
	headerWidth, headerHeight = 1500, 500
)

// saveProfileImages processes and stores an uploaded avatar and header, replacing the
// account's; a file that is not a valid image changes nothing.
func (s *Service) saveProfileImages(ctx context.Context, a *model.Account, p ProfileUpdate) error {
	images := []struct {
		which string
		data  []byte
		w, h  int
	}{{store.Avatar, p.Avatar, avatarSide, avatarSide}, {store.Header, p.Header, headerWidth, headerHeight}}
	processed := map[string]media.File{}
	for _, im := range images {
		if im.data == nil {
			continue
		}
		f, err := s.profileImage(ctx, im.data, im.w, im.h)
		if err != nil {
			return err
		}
		processed[im.which] = f
	}
	for which, f := range processed {
		if err := s.replaceProfileImage(ctx, a, which, f); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) profileImage(ctx context.Context, data []byte, w, h int) (media.File, error) {
	f, err := checkUpload(data, "")
	if err != nil {
		return media.File{}, err
	}
	if f.Kind != media.Image {
		return media.File{}, httpx.Unprocessable("Validation failed: Avatar and header must be images, not %s", f.MIME)
	}
	release, err := s.imageSlot(ctx)
	if err != nil {
		return media.File{}, err
	}
	defer release()
	img, err := media.Decode(data, f)
	if err != nil {
		return media.File{}, mediaError(err)
	}
	return media.Encode(media.Crop(img, w, h), f == media.PNG)
}

func (s *Service) replaceProfileImage(ctx context.Context, a *model.Account, which string, f media.File) error {
	key := fmt.Sprintf("accounts/%d/%s/%s.%s", a.ID, which, token(), f.Ext)
	if err := s.put(ctx, key, f.Data, f.ContentType); err != nil {
		return err
	}
	if err := s.Store.Writer().SetProfileImageKey(ctx, a.ID, which, key); err != nil {
		s.dropObjects(ctx, key)
		return err
	}
	s.dropObjects(ctx, profileImageKey(a, which))
	if which == store.Avatar {
		a.AvatarKey = key
	} else {
		a.HeaderKey = key
	}
	return nil
}

func profileImageKey(a *model.Account, which string) string {
	if which == store.Avatar {
		return a.AvatarKey
	}
	return a.HeaderKey
}
