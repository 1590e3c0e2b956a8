// Package push delivers notifications to members' devices by Web Push: it keeps the
// server's VAPID keys, queues one delivery job per notification and subscription, and
// its worker encrypts and sends them. Who gets which push is decided by the social
// layer before it queues; this package only carries them out.
package push

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"syscall"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/webpush"
)

// Enqueuer inserts a job, inside q's transaction when q is one (jobs.Service does).
type Enqueuer interface {
	Enqueue(ctx context.Context, q store.Q, args river.JobArgs, opts *river.InsertOpts) error
}

// Service holds the VAPID keys and queues deliveries.
type Service struct {
	Store  *store.Store
	Config config.Config
	Jobs   Enqueuer
	Log    *slog.Logger
	Client *http.Client // sends to push services; New guards it against private addresses

	mu    sync.Mutex
	vapid *webpush.VAPID
}

// New builds the service with its guarded HTTP client.
func New(st *store.Store, cfg config.Config, log *slog.Logger) *Service {
	return &Service{Store: st, Config: cfg, Log: log, Client: newClient(cfg.Push.PrivateNetworks)}
}

// vapidKeyName names the generated private key in server_keys; the public key follows from it.
const vapidKeyName = "vapid_private_key"

// VAPID returns the server's key pair: the configured one, else the one kept in the
// database, generated on first use.
func (s *Service) VAPID(ctx context.Context) (*webpush.VAPID, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.vapid != nil {
		return s.vapid, nil
	}
	v, err := s.loadVAPID(ctx)
	if err != nil {
		return nil, fmt.Errorf("push: VAPID keys: %w", err)
	}
	s.vapid = v
	return v, nil
}

func (s *Service) loadVAPID(ctx context.Context) (*webpush.VAPID, error) {
	if c := s.Config.Push; c.VAPIDPrivateKey != "" {
		return webpush.ParseKeys(c.VAPIDPrivateKey, c.VAPIDPublicKey)
	}
	priv, err := s.Store.ServerKey(ctx, vapidKeyName)
	if errors.Is(err, store.ErrNotFound) {
		if priv, _, err = webpush.GenerateKeys(); err != nil {
			return nil, err
		}
		if err = s.Store.Writer().InsertServerKey(ctx, vapidKeyName, priv); err != nil {
			return nil, err
		}
		priv, err = s.Store.Writer().ServerKey(ctx, vapidKeyName) // another process may have won
	}
	if err != nil {
		return nil, err
	}
	return webpush.ParseKeys(priv, "")
}

// PublicKey is the VAPID public key clients subscribe with.
func (s *Service) PublicKey(ctx context.Context) (string, error) {
	v, err := s.VAPID(ctx)
	if err != nil {
		return "", err
	}
	return v.PublicKey(), nil
}

// Queue inserts the delivery of one notification to one subscription, in q's transaction.
func (s *Service) Queue(ctx context.Context, q store.Q, subscriptionID, notificationID int64) error {
	if s == nil || s.Jobs == nil {
		return nil
	}
	return s.Jobs.Enqueue(ctx, q, DeliverArgs{SubscriptionID: subscriptionID, NotificationID: notificationID}, nil)
}

// newClient is the HTTP client for push services: short timeouts, no redirects (a push
// service answers, it does not send us elsewhere), and unless allowed, no connections
// to loopback, private or link-local addresses, checked on the address actually dialled.
func newClient(privateNetworks bool) *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	if !privateNetworks {
		dialer.Control = refusePrivate
	}
	transport := &http.Transport{DialContext: dialer.DialContext, TLSHandshakeTimeout: 10 * time.Second,
		ResponseHeaderTimeout: 20 * time.Second, MaxIdleConnsPerHost: 4, IdleConnTimeout: time.Minute}
	return &http.Client{Transport: transport, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// errPrivateAddress is a delivery aimed at this server's own network.
var errPrivateAddress = errors.New("push: endpoint resolves to a private address")

func refusePrivate(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip := net.ParseIP(host)
	if ip == nil || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified() ||
		ip.IsMulticast() || ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() {
		return errPrivateAddress
	}
	return nil
}

// jobsQueue is where deliveries wait: the default queue, for local members' work, as
// Mastodon's own push queue carries federation.
const jobsQueue = jobs.Default
