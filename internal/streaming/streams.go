package streaming

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/oauth"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
)

// Mastodon's stream names.
const (
	streamUser             = "user"
	streamUserNotification = "user:notification"
	streamPublic           = "public"
	streamPublicMedia      = "public:media"
	streamLocal            = "public:local"
	streamLocalMedia       = "public:local:media"
	streamRemote           = "public:remote"
	streamRemoteMedia      = "public:remote:media"
	streamHashtag          = "hashtag"
	streamHashtagLocal     = "hashtag:local"
	streamList             = "list"
	streamDirect           = "direct"
)

// Errors as Mastodon's streaming server words them; after a WebSocket opens they are
// sent as {"error": …, "status": …} frames.
var (
	errUnknownStream = &httpx.Error{Code: http.StatusBadRequest, Msg: "Unknown stream type"}
	errNoTag         = &httpx.Error{Code: http.StatusBadRequest, Msg: "No tag for stream provided"}
	errNoList        = &httpx.Error{Code: http.StatusBadRequest, Msg: "No list for stream provided"}
	errListDenied    = &httpx.Error{Code: http.StatusUnauthorized, Msg: "Not authorized to stream this list"}
	errNoToken       = &httpx.Error{Code: http.StatusUnauthorized, Msg: "Missing access token"}
	errScopes        = &httpx.Error{Code: http.StatusUnauthorized, Msg: "Access token does not have the required scopes"}
	errNoUser        = &httpx.Error{Code: http.StatusUnauthorized, Msg: "Access token does not belong to a user"}
)

// stream is one subscription's identity: its name and, for hashtag and list, its
// parameter. Its key tells subscriptions of one connection apart.
type stream struct {
	name string
	tag  string // lowercase, without '#'
	list *model.List
}

func (s stream) key() string {
	switch {
	case s.tag != "":
		return s.name + "\x00" + s.tag
	case s.list != nil:
		return s.name + "\x00" + strconv.FormatInt(s.list.ID, 10)
	}
	return s.name
}

// ids is the frame's "stream" array, as Mastodon sends it.
func (s stream) ids() []string {
	switch {
	case s.tag != "":
		return []string{s.name, s.tag}
	case s.list != nil:
		return []string{s.name, strconv.FormatInt(s.list.ID, 10)}
	}
	return []string{s.name}
}

// channels lists the bus channels the stream listens on for account.
func (s stream) channels(account int64) []string {
	switch s.name {
	case streamUser:
		return []string{social.UserChannel(account), social.AnnouncementsChannel}
	case streamUserNotification:
		return []string{social.UserChannel(account)}
	case streamPublic, streamPublicMedia:
		return []string{social.PublicChannel}
	case streamLocal, streamLocalMedia:
		return []string{social.PublicLocalChannel}
	case streamRemote, streamRemoteMedia:
		return []string{social.PublicRemoteChannel}
	case streamHashtag:
		return []string{social.HashtagChannel(s.tag, false)}
	case streamHashtagLocal:
		return []string{social.HashtagChannel(s.tag, true)}
	case streamList:
		return []string{social.ListChannel(s.list.ID)}
	case streamDirect:
		return []string{social.DirectChannel(account)}
	}
	return nil
}

// timeline is the REST timeline whose rule decides which statuses reach the stream.
func (s stream) timeline() (social.StreamTimeline, bool) {
	media := strings.HasSuffix(s.name, ":media")
	switch s.name {
	case streamUser:
		return social.StreamTimeline{Kind: social.StreamHome}, true
	case streamList:
		return social.StreamTimeline{Kind: social.StreamList, List: s.list}, true
	case streamPublic, streamPublicMedia:
		return social.StreamTimeline{Kind: social.StreamPublic, Scope: store.Scope{OnlyMedia: media}}, true
	case streamLocal, streamLocalMedia:
		return social.StreamTimeline{Kind: social.StreamPublic, Scope: store.Scope{Local: true, OnlyMedia: media}}, true
	case streamRemote, streamRemoteMedia:
		return social.StreamTimeline{Kind: social.StreamPublic, Scope: store.Scope{Remote: true, OnlyMedia: media}}, true
	case streamHashtag:
		return social.StreamTimeline{Kind: social.StreamHashtag, Tag: s.tag}, true
	case streamHashtagLocal:
		return social.StreamTimeline{Kind: social.StreamHashtag, Tag: s.tag, Scope: store.Scope{Local: true}}, true
	}
	return social.StreamTimeline{}, false // user:notification and direct carry no statuses
}

// carries reports whether events of this name reach the stream.
func (s stream) carries(event string) bool {
	switch event {
	case social.EventNotification, social.EventNotificationsMerged:
		return s.name == streamUser || s.name == streamUserNotification
	case social.EventFiltersChanged, social.EventAnnouncement, social.EventAnnouncementReaction, social.EventAnnouncementDelete:
		return s.name == streamUser
	case social.EventConversation:
		return s.name == streamDirect
	case social.EventUpdate, social.EventStatusUpdate, social.EventDelete:
		_, ok := s.timeline()
		return ok
	}
	return false
}

// scopes lists the scopes any one of which lets a token open the stream: "read" opens
// every stream; the narrower ones open what they cover, as in Mastodon.
func (s stream) scopes() []string {
	switch s.name {
	case streamUserNotification:
		return []string{"read", "read:notifications"}
	case streamUser:
		return []string{"read", "read:statuses", "read:notifications"}
	case streamList:
		return []string{"read", "read:lists", "read:statuses"}
	}
	return []string{"read", "read:statuses"}
}

func allowed(auth *oauth.Auth, s stream) bool {
	for _, want := range s.scopes() {
		if oauth.HasScope(auth.Token.Scopes, want) {
			return true
		}
	}
	return false
}

// knownStream reports whether name is one of Mastodon's streams.
func knownStream(name string) bool {
	switch name {
	case streamUser, streamUserNotification, streamPublic, streamPublicMedia, streamLocal, streamLocalMedia,
		streamRemote, streamRemoteMedia, streamHashtag, streamHashtagLocal, streamList, streamDirect:
		return true
	}
	return false
}

// withMedia turns a public stream into its only-media form, for only_media=true.
func withMedia(name string, onlyMedia bool) string {
	if onlyMedia && strings.HasPrefix(name, "public") && !strings.HasSuffix(name, ":media") {
		return name + ":media"
	}
	return name
}
