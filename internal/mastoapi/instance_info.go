package mastoapi

import (
	"errors"
	"net/http"
	"time"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/mastoapi/entity"
	"github.com/tuskhq/tusk/internal/social"
)

func (a *API) instancePeers(w http.ResponseWriter, r *http.Request) error {
	peers, err := a.Social.Peers(r.Context())
	if err != nil {
		return err
	}
	return httpx.OK(w, peers)
}

func (a *API) instanceActivity(w http.ResponseWriter, r *http.Request) error {
	weeks, err := a.Social.Activity(r.Context(), time.Now())
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Activity(weeks))
}

func (a *API) instanceRules(w http.ResponseWriter, r *http.Request) error {
	rules, err := a.Social.Rules(r.Context())
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Rules(rules))
}

func (a *API) instanceDomainBlocks(w http.ResponseWriter, r *http.Request) error {
	v, err := viewer(r, "")
	if err != nil {
		return err
	}
	blocks, withComment, err := a.Social.PublishedDomainBlocks(r.Context(), v)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.DomainBlocks(blocks, withComment))
}

func (a *API) extendedDescription(w http.ResponseWriter, r *http.Request) error {
	doc, err := a.Social.ExtendedDescription()
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Document(doc))
}

func (a *API) privacyPolicy(w http.ResponseWriter, r *http.Request) error {
	doc, err := a.Social.PrivacyPolicy()
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Document(doc))
}

// termsOfService serves the terms in effect, or with {date} the version of that date.
func (a *API) termsOfService(w http.ResponseWriter, r *http.Request) error {
	terms, err := a.Social.TermsOfService(r.PathValue("date"), time.Now())
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.TermsOfService(terms))
}

// translationLanguages lists the language pairs the server translates between. tusk has
// no translation service, and Mastodon without one answers with no pairs.
func (a *API) translationLanguages(w http.ResponseWriter, r *http.Request) error {
	return httpx.OK(w, map[string][]string{})
}

func (a *API) customEmojis(w http.ResponseWriter, r *http.Request) error {
	list, err := a.Social.PickerEmojis(r.Context())
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.CustomEmojis(list))
}

// instanceExtras are the parts of the instance entities that come from the admins'
// settings: the rules and the contact account.
func (a *API) instanceExtras(r *http.Request) ([]entity.Rule, *entity.Account, error) {
	rules, err := a.Social.Rules(r.Context())
	if err != nil {
		return nil, nil, err
	}
	contact, err := a.Social.ContactAccount(r.Context())
	if errors.Is(err, social.ErrNotFound) {
		return a.render.Rules(rules), nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	acc := a.render.Account(contact)
	return a.render.Rules(rules), &acc, nil
}

// timelinesAccess is configuration.timelines_access: link feeds follow the topic settings.
func (a *API) timelinesAccess() map[string]any {
	c := a.Config.Instance
	topic := map[string]string{"local": c.LocalTopicFeeds, "remote": c.RemoteTopicFeeds}
	return map[string]any{"live_feeds": map[string]string{"local": c.LocalLiveFeeds, "remote": c.RemoteLiveFeeds},
		"hashtag_feeds": topic, "trending_link_feeds": topic}
}
