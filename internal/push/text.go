package push

import (
	"strings"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/text"
)

// missingAvatar is the path of the default avatar (entity.MissingAvatarPath; entity
// renders API JSON and this package must not depend on it).
const missingAvatar = "/avatars/original/missing.png"

func (s *Service) avatar(a *model.Account) string {
	if a.AvatarRemoteURL != "" {
		return a.AvatarRemoteURL
	}
	return s.Config.BaseURL() + missingAvatar
}

func name(a *model.Account) string {
	if a.DisplayName != "" {
		return a.DisplayName
	}
	return a.Username
}

// title is the headline a device shows for a notification of typ from who.
func title(typ, who string) string {
	switch typ {
	case model.NotifyMention:
		return who + " mentioned you"
	case model.NotifyStatus:
		return who + " posted"
	case model.NotifyReblog:
		return who + " boosted your post"
	case model.NotifyFollow:
		return who + " followed you"
	case model.NotifyFollowRequest:
		return who + " asked to follow you"
	case model.NotifyFavourite:
		return who + " favourited your post"
	case model.NotifyPoll:
		return "A poll has ended"
	case model.NotifyUpdate:
		return who + " edited a post"
	case model.NotifyQuote:
		return who + " quoted your post"
	case model.NotifyQuotedUpdate:
		return who + " edited a post you quoted"
	}
	return "New notification from " + who
}

// excerptLength keeps a push small: the device shows a line or two.
const excerptLength = 140

// excerpt is the plain text of some HTML, cut at a word near excerptLength.
func excerpt(html string) string {
	s := strings.Join(strings.Fields(text.PlainText(html)), " ")
	r := []rune(s)
	if len(r) <= excerptLength {
		return s
	}
	cut := string(r[:excerptLength])
	if i := strings.LastIndexByte(cut, ' '); i > excerptLength/2 {
		cut = cut[:i]
	}
	return cut + "…"
}
