package social

import (
	"context"
	"net/http"
	"time"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
)

// activityWeeks is how far back /api/v1/instance/activity reaches, as in Mastodon.
const activityWeeks = 12

// Peers lists the domains the instance knows accounts on, unless the admins keep it private.
func (s *Service) Peers(ctx context.Context) ([]string, error) {
	if !s.Config.Instance.PeersAPI {
		return nil, ErrNotFound
	}
	return s.Store.Peers(ctx)
}

// Activity is the last twelve weeks of local statuses, sign-ins and registrations,
// the current week first.
func (s *Service) Activity(ctx context.Context, now time.Time) ([]model.WeekActivity, error) {
	if !s.Config.Instance.ActivityAPI {
		return nil, ErrNotFound
	}
	first := model.WeekOf(now).AddDate(0, 0, -7*(activityWeeks-1))
	weeks, err := s.Store.WeeklyActivity(ctx, first, activityWeeks)
	if err != nil {
		return nil, err
	}
	for i, j := 0, len(weeks)-1; i < j; i, j = i+1, j-1 {
		weeks[i], weeks[j] = weeks[j], weeks[i]
	}
	return weeks, nil
}

// Rules lists the instance's rules.
func (s *Service) Rules(ctx context.Context) ([]*model.Rule, error) {
	rules, err := s.Store.Rules(ctx)
	if rules == nil {
		rules = []*model.Rule{}
	}
	return rules, err
}

// PublishedDomainBlocks lists the server's blocks with user-facing limits to those the admins
// show them to, and whether the viewer may read the public comments. Hidden from
// everyone, the list does not exist (404); shown to members only, a visitor is 401.
func (s *Service) PublishedDomainBlocks(ctx context.Context, viewer *model.Account) ([]*model.DomainBlock, bool, error) {
	switch s.Config.Instance.ShowDomainBlocks {
	case config.ShowAll:
	case config.ShowUsers:
		if viewer == nil {
			return nil, false, httpx.ErrUnauthorized
		}
	default:
		return nil, false, ErrNotFound
	}
	list, err := s.Store.ServerDomainBlocks(ctx, false)
	return list, shownTo(s.Config.Instance.ShowDomainBlocksRationale, viewer), err
}

func shownTo(setting string, viewer *model.Account) bool {
	return setting == config.ShowAll || (setting == config.ShowUsers && viewer != nil)
}

// ContactAccount is the local account the admins name as the contact; ErrNotFound when
// they name none, or one that does not exist.
func (s *Service) ContactAccount(ctx context.Context) (*model.Account, error) {
	name := s.Config.Instance.ContactUsername
	if name == "" {
		return nil, ErrNotFound
	}
	a, err := s.Store.AccountByHandle(ctx, name, "")
	return a, orNotFound(err)
}

// errRequiresUser is Mastodon's answer when a method needs a signed-in member.
var errRequiresUser = &httpx.Error{Code: http.StatusUnprocessableEntity, Msg: "This method requires an authenticated user"}

// PickerEmojis lists the local emoji offered in the emoji picker.
func (s *Service) PickerEmojis(ctx context.Context) ([]*model.CustomEmoji, error) {
	all, err := s.Store.LocalEmojis(ctx)
	out := []*model.CustomEmoji{}
	for _, e := range all {
		if e.VisibleInPicker {
			out = append(out, e)
		}
	}
	return out, err
}
