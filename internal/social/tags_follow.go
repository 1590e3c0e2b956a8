package social

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/text"
)

// maxTagName bounds a hashtag's length, as for any string a member sends.
const maxTagName = 100

// tagHistoryDays is how many days of use a Tag entity shows.
const tagHistoryDays = 7

// TagView is a hashtag with its recent use and, for a signed-in viewer, whether the
// viewer follows and features it (nil for anonymous viewers).
type TagView struct {
	*model.Tag
	History              []model.TagDay
	Following, Featuring *bool
}

// tagName checks that name (with or without its '#') is a hashtag as a status would
// spell it, and returns its lower-cased form.
func tagName(name string) (string, error) {
	name = strings.TrimPrefix(name, "#")
	if utf8.RuneCountInString(name) > maxTagName {
		return "", httpx.Unprocessable("Validation failed: Name is too long (maximum is %d characters)", maxTagName)
	}
	_, tags, _ := text.Parse("#" + name)
	if len(tags) != 1 || tags[0] != strings.ToLower(name) {
		return "", httpx.Unprocessable("Validation failed: Name is not a valid hashtag")
	}
	return tags[0], nil
}

// TagViews adds history and the viewer's flags to tags.
func (s *Service) TagViews(ctx context.Context, viewer *model.Account, tags []*model.Tag) ([]*TagView, error) {
	ids := make([]int64, len(tags))
	for i, t := range tags {
		ids[i] = t.ID
	}
	flags, err := s.Store.TagFlagsFor(ctx, viewerID(viewer), ids)
	if err != nil {
		return nil, err
	}
	out := make([]*TagView, len(tags))
	for i, t := range tags {
		v := &TagView{Tag: t}
		if v.History, err = s.Store.TagHistory(ctx, t.ID, tagHistoryDays); err != nil {
			return nil, err
		}
		if viewer != nil {
			following, featuring := flags.Following[t.ID], flags.Featuring[t.ID]
			v.Following, v.Featuring = &following, &featuring
		}
		out[i] = v
	}
	return out, nil
}

func (s *Service) tagView(ctx context.Context, viewer *model.Account, t *model.Tag) (*TagView, error) {
	views, err := s.TagViews(ctx, viewer, []*model.Tag{t})
	if err != nil {
		return nil, err
	}
	return views[0], nil
}

// TagInfo shows a known hashtag by name.
func (s *Service) TagInfo(ctx context.Context, viewer *model.Account, name string) (*TagView, error) {
	t, err := s.Store.TagByName(ctx, strings.TrimPrefix(name, "#"))
	if err != nil {
		return nil, orNotFound(err)
	}
	return s.tagView(ctx, viewer, t)
}

// FollowTag makes viewer follow a hashtag, creating it when nobody used it yet; its public
// statuses then reach viewer's home timeline.
func (s *Service) FollowTag(ctx context.Context, viewer *model.Account, name string) (*TagView, error) {
	return s.changeTag(ctx, viewer, name, func(q store.Q, t *model.Tag) error { return q.FollowTag(ctx, viewer.ID, t.ID) })
}

// UnfollowTag undoes FollowTag; unfollowing a tag not followed is harmless.
func (s *Service) UnfollowTag(ctx context.Context, viewer *model.Account, name string) (*TagView, error) {
	return s.changeTag(ctx, viewer, name, func(q store.Q, t *model.Tag) error { return q.UnfollowTag(ctx, viewer.ID, t.ID) })
}

// changeTag applies change to the named tag, created if new, and shows the tag after it.
func (s *Service) changeTag(ctx context.Context, viewer *model.Account, name string, change func(store.Q, *model.Tag) error) (*TagView, error) {
	name, err := tagName(name)
	if err != nil {
		return nil, err
	}
	var tag *model.Tag
	err = s.Store.Tx(ctx, func(q store.Q) error {
		if tag, err = q.EnsureTag(ctx, name); err != nil {
			return err
		}
		return change(q, tag)
	})
	if err != nil {
		return nil, err
	}
	return s.tagView(ctx, viewer, tag)
}

// FollowedTags pages through viewer's followed hashtags; the cursors are for Link headers.
func (s *Service) FollowedTags(ctx context.Context, viewer *model.Account, p httpx.Page) ([]*TagView, []int64, error) {
	tags, cursors, err := s.Store.FollowedTags(ctx, viewer.ID, storePage(p))
	if err != nil {
		return nil, nil, err
	}
	views, err := s.TagViews(ctx, viewer, tags)
	return views, cursors, err
}

// tagByNameOrID finds the tag a /tags/{id}/… path names: Mastodon's clients send the name,
// and an all-digit value, which cannot be a hashtag, is read as the tag's id.
func (s *Service) tagByNameOrID(ctx context.Context, raw string) (*model.Tag, error) {
	if n, ok := id.Parse(raw); ok {
		t, err := s.Store.TagByID(ctx, n)
		return t, orNotFound(err)
	}
	name, err := tagName(raw)
	if err != nil {
		return nil, ErrNotFound
	}
	t, err := s.Store.TagByName(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return s.ensureTag(ctx, name)
	}
	return t, err
}

func (s *Service) ensureTag(ctx context.Context, name string) (*model.Tag, error) {
	var t *model.Tag
	err := s.Store.Tx(ctx, func(q store.Q) (err error) {
		t, err = q.EnsureTag(ctx, name)
		return err
	})
	return t, err
}
