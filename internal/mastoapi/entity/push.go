package entity

import (
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

// WebPushSubscription is Mastodon's WebPushSubscription entity.
type WebPushSubscription struct {
	ID        string          `json:"id"`
	Endpoint  string          `json:"endpoint"`
	Standard  bool            `json:"standard"`
	Alerts    map[string]bool `json:"alerts"`
	Policy    string          `json:"policy"`
	ServerKey string          `json:"server_key"`
}

// WebPushSubscription renders a subscription; every alert type is listed, off unless asked for.
func (r Renderer) WebPushSubscription(v *social.PushSubscriptionView) WebPushSubscription {
	alerts := make(map[string]bool, len(model.PushAlertTypes))
	for _, typ := range model.PushAlertTypes {
		alerts[typ] = v.Alerts[typ]
	}
	return WebPushSubscription{ID: id.Format(v.ID), Endpoint: v.Endpoint, Standard: v.Standard, Alerts: alerts,
		Policy: v.Policy, ServerKey: v.ServerKey}
}
