package social

import (
	"context"
	"errors"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// maxFeaturedTags is how many hashtags one profile may feature, as in Mastodon.
const maxFeaturedTags = 10

// featuredSuggestions is how many tags FeaturedTagSuggestions proposes.
const featuredSuggestions = 10

// FeaturedTags lists viewer's own featured tags.
func (s *Service) FeaturedTags(ctx context.Context, viewer *model.Account) ([]*model.FeaturedTag, error) {
	return s.Store.FeaturedTags(ctx, viewer.ID)
}

// AccountFeaturedTags lists the featured tags of any account that exists and is not suspended.
func (s *Service) AccountFeaturedTags(ctx context.Context, accountID int64) ([]*model.FeaturedTag, error) {
	acc, err := s.Store.AccountByID(ctx, accountID)
	if err != nil {
		return nil, orNotFound(err)
	}
	if acc.SuspendedAt != nil {
		return []*model.FeaturedTag{}, nil
	}
	return s.Store.FeaturedTags(ctx, acc.ID)
}

// FeatureTag features the named hashtag on viewer's profile: 422 when it already is, or
// when the profile has its maximum.
func (s *Service) FeatureTag(ctx context.Context, viewer *model.Account, name string) (*model.FeaturedTag, error) {
	name, err := tagName(name)
	if err != nil {
		return nil, err
	}
	var fid int64
	err = s.Store.Tx(ctx, func(q store.Q) error {
		tag, err := q.EnsureTag(ctx, name)
		if err != nil {
			return err
		}
		fid, err = s.insertFeaturedTag(ctx, q, viewer.ID, tag.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Store.FeaturedTag(ctx, viewer.ID, fid)
}

func (s *Service) insertFeaturedTag(ctx context.Context, q store.Q, accountID, tagID int64) (int64, error) {
	n, err := q.CountFeaturedTags(ctx, accountID)
	if err != nil {
		return 0, err
	}
	if n >= maxFeaturedTags {
		return 0, httpx.Unprocessable("Validation failed: You can only feature up to %d hashtags", maxFeaturedTags)
	}
	fid, err := q.InsertFeaturedTag(ctx, accountID, tagID)
	if errors.Is(err, store.ErrConflict) {
		return 0, httpx.Unprocessable("Validation failed: Tag is already featured")
	}
	return fid, err
}

// UnfeatureTag removes one of viewer's featured tags by its id; anyone else's is a 404.
func (s *Service) UnfeatureTag(ctx context.Context, viewer *model.Account, featuredID int64) error {
	return orNotFound(s.Store.Writer().DeleteFeaturedTag(ctx, viewer.ID, featuredID))
}

// FeatureTagByPath features a tag named (or numbered) as in /api/v1/tags/{id}/feature and
// shows the tag; featuring a featured tag again is harmless there, as in Mastodon.
func (s *Service) FeatureTagByPath(ctx context.Context, viewer *model.Account, raw string) (*TagView, error) {
	tag, err := s.tagByNameOrID(ctx, raw)
	if err != nil {
		return nil, err
	}
	err = s.Store.Tx(ctx, func(q store.Q) error {
		if _, err := q.FeaturedTagOf(ctx, viewer.ID, tag.ID); err == nil {
			return nil
		}
		_, err := s.insertFeaturedTag(ctx, q, viewer.ID, tag.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.tagView(ctx, viewer, tag)
}

// UnfeatureTagByPath undoes FeatureTagByPath.
func (s *Service) UnfeatureTagByPath(ctx context.Context, viewer *model.Account, raw string) (*TagView, error) {
	tag, err := s.tagByNameOrID(ctx, raw)
	if err != nil {
		return nil, err
	}
	if err := s.Store.Writer().UnfeatureTag(ctx, viewer.ID, tag.ID); err != nil {
		return nil, err
	}
	return s.tagView(ctx, viewer, tag)
}

// FeaturedTagSuggestions proposes the tags viewer used most and does not feature yet.
func (s *Service) FeaturedTagSuggestions(ctx context.Context, viewer *model.Account) ([]*TagView, error) {
	tags, err := s.Store.MostUsedUnfeaturedTags(ctx, viewer.ID, featuredSuggestions)
	if err != nil {
		return nil, err
	}
	return s.TagViews(ctx, viewer, tags)
}
