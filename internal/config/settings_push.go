package config

import (
	"errors"

	"github.com/tuskhq/tusk/internal/webpush"
)

// PushConfig holds the settings for Web Push notifications.
type PushConfig struct {
	// VAPIDPrivateKey and VAPIDPublicKey identify this server to push services, with
	// Mastodon's names and encoding. When unset, a key pair is generated once and kept
	// in the database.
	VAPIDPrivateKey, VAPIDPublicKey string
	// PrivateNetworks lets deliveries reach loopback and private addresses: for a push
	// server on the operator's own network. Off, a subscription cannot aim the server's
	// requests at its neighbours.
	PrivateNetworks bool
}

// pushSettings are the variables for Web Push.
var pushSettings = []setting{
	{"VAPID_PRIVATE_KEY", "vapid-private-key", "", "Web Push VAPID private key (base64); empty: generated once and stored", func(c *Config, v string) error {
		c.Push.VAPIDPrivateKey = v
		return nil
	}},
	{"VAPID_PUBLIC_KEY", "vapid-public-key", "", "Web Push VAPID public key (base64), the pair of VAPID_PRIVATE_KEY", func(c *Config, v string) error {
		c.Push.VAPIDPublicKey = v
		if (v == "") != (c.Push.VAPIDPrivateKey == "") {
			return errors.New("set both VAPID_PRIVATE_KEY and VAPID_PUBLIC_KEY, or neither")
		}
		if v == "" {
			return nil
		}
		_, err := webpush.ParseKeys(c.Push.VAPIDPrivateKey, v)
		return err
	}},
	{"TUSK_PUSH_PRIVATE_NETWORKS", "push-private-networks", "false", "let Web Push deliveries reach loopback and private addresses", func(c *Config, v string) (err error) {
		c.Push.PrivateNetworks, err = parseBool(v)
		return err
	}},
}
