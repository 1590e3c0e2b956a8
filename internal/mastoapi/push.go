package mastoapi

import (
	"net/http"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

func (a *API) createPushSubscription(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "push")
	if err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	standard, err := p.Bool("subscription[standard]", false)
	if err != nil {
		return err
	}
	data, err := pushData(p)
	if err != nil {
		return err
	}
	sub := social.PushSubscribe{Endpoint: p.Get("subscription[endpoint]"), P256DH: p.Get("subscription[keys][p256dh]"),
		Auth: p.Get("subscription[keys][auth]"), Standard: standard, PushData: data}
	v, err := a.Social.Subscribe(r.Context(), auth.Token.ID, auth.User, sub)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.WebPushSubscription(v))
}

// pushData reads data[alerts][TYPE] for every type and the policy (data[policy], or
// policy as some clients send it).
func pushData(p httpx.Params) (social.PushData, error) {
	d := social.PushData{Alerts: map[string]bool{}, Policy: optString(p, "data[policy]")}
	if d.Policy == nil {
		d.Policy = optString(p, "policy")
	}
	for _, typ := range model.PushAlertTypes {
		key := "data[alerts][" + typ + "]"
		if !p.Has(key) {
			continue
		}
		on, err := p.Bool(key, false)
		if err != nil {
			return d, err
		}
		d.Alerts[typ] = on
	}
	return d, nil
}

func (a *API) getPushSubscription(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "push")
	if err != nil {
		return err
	}
	v, err := a.Social.PushSubscription(r.Context(), auth.Token.ID)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.WebPushSubscription(v))
}

func (a *API) updatePushSubscription(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "push")
	if err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	data, err := pushData(p)
	if err != nil {
		return err
	}
	v, err := a.Social.UpdatePushSubscription(r.Context(), auth.Token.ID, auth.User, data)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.WebPushSubscription(v))
}

func (a *API) deletePushSubscription(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "push")
	if err != nil {
		return err
	}
	if err := a.Social.Unsubscribe(r.Context(), auth.Token.ID); err != nil {
		return err
	}
	return httpx.OK(w, struct{}{})
}
