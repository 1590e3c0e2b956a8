package push

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/webpush"
)

// DeliverArgs is the job that pushes one notification to one subscription. The ids
// travel as strings: they pass 2⁵³, which River's PostgreSQL driver would round.
type DeliverArgs struct {
	SubscriptionID int64 `json:"subscription_id,string"`
	NotificationID int64 `json:"notification_id,string"`
}

// Kind names the job.
func (DeliverArgs) Kind() string { return "push.deliver" }

// maxAttempts rides out a push service's short outage; a push hours late is worthless.
const maxAttempts = 6

// InsertOpts puts deliveries on the default queue.
func (DeliverArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobsQueue, MaxAttempts: maxAttempts}
}

// Worker sends queued pushes.
type Worker struct {
	river.WorkerDefaults[DeliverArgs]
	s *Service
}

// Worker returns the delivery worker, to register with the job queues.
func (s *Service) Worker() *Worker { return &Worker{s: s} }

// ttl is how long a push service may hold a push for an offline device.
const ttl = 48 * time.Hour

// Work delivers one push. A subscription or notification deleted meanwhile, or a token
// revoked, drops the job; a push service that says the subscription is gone (404, 410)
// has it deleted; other refusals cancel the job, and failures to reach it are retried.
func (w *Worker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	msg, sub, err := w.s.message(ctx, job.Args)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	vapid, err := w.s.VAPID(ctx)
	if err != nil {
		return err
	}
	req, err := vapid.Request(ctx, webpush.Subscription{Endpoint: sub.Endpoint, P256DH: sub.P256DH, Auth: sub.Auth, Standard: sub.Standard}, msg)
	if err != nil {
		return river.JobCancel(err)
	}
	res, err := w.s.Client.Do(req)
	if errors.Is(err, errPrivateAddress) {
		return river.JobCancel(err)
	}
	if err != nil {
		return fmt.Errorf("push: deliver to %s: %w", req.URL.Host, err)
	}
	io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	res.Body.Close()
	return w.s.answer(ctx, sub, res.StatusCode, req.URL.Host)
}

func (s *Service) answer(ctx context.Context, sub *model.PushSubscription, code int, host string) error {
	switch {
	case code >= 200 && code < 300:
		return nil
	case code == http.StatusNotFound || code == http.StatusGone:
		return s.Store.Writer().DeletePushSubscription(ctx, sub.ID)
	case code == http.StatusTooManyRequests || code >= 500:
		return fmt.Errorf("push: %s answered %d", host, code)
	}
	return river.JobCancel(fmt.Errorf("push: %s refused the push with %d", host, code))
}

// payload is what the member's device decrypts: enough to show the notification
// without a request back. Mastodon's also carries the access token; tusk keeps only
// tokens' hashes, so clients use the token they already hold.
type payload struct {
	NotificationID   string `json:"notification_id"`
	NotificationType string `json:"notification_type"`
	PreferredLocale  string `json:"preferred_locale"`
	Icon             string `json:"icon"`
	Title            string `json:"title"`
	Body             string `json:"body"`
}

// message loads what the push is about and renders it.
func (s *Service) message(ctx context.Context, a DeliverArgs) (webpush.Message, *model.PushSubscription, error) {
	sub, err := s.Store.LivePushSubscription(ctx, a.SubscriptionID, time.Now())
	if err != nil {
		return webpush.Message{}, nil, err
	}
	u, err := s.Store.UserByID(ctx, sub.UserID)
	if err != nil {
		return webpush.Message{}, nil, err
	}
	n, err := s.Store.NotificationByID(ctx, u.AccountID, a.NotificationID)
	if err != nil {
		return webpush.Message{}, nil, err
	}
	p, err := s.render(ctx, n, u)
	if err != nil {
		return webpush.Message{}, nil, err
	}
	body, err := json.Marshal(p)
	return webpush.Message{Payload: body, TTL: ttl, Urgency: "normal", Subject: s.subject()}, sub, err
}

// subject is the contact VAPID gives push services: the admin's address, else the site.
func (s *Service) subject() string {
	if s.Config.ContactEmail != "" {
		return "mailto:" + s.Config.ContactEmail
	}
	return s.Config.BaseURL()
}

func (s *Service) render(ctx context.Context, n *model.Notification, u *model.User) (*payload, error) {
	from, err := s.Store.AccountByID(ctx, n.FromAccountID)
	if err != nil {
		return nil, err
	}
	p := &payload{NotificationID: id.Format(n.ID), NotificationType: n.Type, PreferredLocale: u.Locale,
		Icon: s.avatar(from), Title: title(n.Type, name(from))}
	if p.PreferredLocale == "" {
		p.PreferredLocale = "en"
	}
	if n.StatusID == nil {
		p.Body = excerpt(from.Note)
		return p, nil
	}
	st, err := s.Store.StatusByID(ctx, *n.StatusID)
	if err != nil {
		return nil, err
	}
	p.Body = excerpt(st.Content)
	if st.SpoilerText != "" {
		p.Body = st.SpoilerText
	}
	return p, nil
}
