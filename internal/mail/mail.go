// Package mail renders tusk's e-mails from embedded templates (a plain-text and an
// HTML part each) and delivers them through the mailers queue: a request queues a
// DeliverArgs job in its own transaction, and the Worker renders and sends it by SMTP,
// or to the log when SMTP is not configured.
//
// Secrets never wait in the queue. A mail that carries a confirmation or reset link
// names the kind of token it needs; the worker mints the token when it sends the mail,
// so the database holds only the token's hash, as it does for OAuth tokens.
package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/store"
)

// MaxAttempts is how often a mail is tried before it goes to the dead set: with the
// queue's doubling backoff, twelve attempts ride out an SMTP server's outage of hours.
const MaxAttempts = 12

// DeliverArgs is the job that sends one mail.
type DeliverArgs struct {
	Template string            `json:"template"`
	To       string            `json:"to"`
	Data     map[string]string `json:"data,omitempty"`
	Link     *Link             `json:"link,omitempty"`
}

// Link asks the worker for a call-to-action link with a fresh single-use token.
type Link struct {
	Kind string `json:"kind"` // the token kind the TokenIssuer mints
	// UserID is whose token. It travels as a string: ids pass 2⁵³, and River's
	// PostgreSQL driver stores job arguments in a way that rounds such numbers.
	UserID int64  `json:"user_id,string"`
	URL    string `json:"url"` // the link up to its secret, e.g. …/auth/confirmation?confirmation_token=
}

// Kind names the job kind.
func (DeliverArgs) Kind() string { return "mail.deliver" }

// InsertOpts puts mail on the mailers queue.
func (DeliverArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.Mailers, MaxAttempts: MaxAttempts}
}

// Enqueuer inserts a job, inside q's transaction when q is one (jobs.Service does).
type Enqueuer interface {
	Enqueue(ctx context.Context, q store.Q, args river.JobArgs, opts *river.InsertOpts) error
}

// TokenIssuer mints the secret a mail's link carries, bound to the address the mail
// goes to. It returns ErrObsolete when the mail no longer applies (the account was
// confirmed or deleted meanwhile), and the mail is dropped.
type TokenIssuer interface {
	IssueToken(ctx context.Context, kind string, userID int64, email string) (secret string, err error)
}

// ErrObsolete means a queued mail no longer needs sending.
var ErrObsolete = errors.New("mail: no longer applies")

// Outbox queues mail in the caller's transaction. A nil *Outbox sends nothing, for
// services built without mail in tests.
type Outbox struct {
	Jobs   Enqueuer
	Config config.Config
}

// Queue inserts the job for args in q's transaction.
func (o *Outbox) Queue(ctx context.Context, q store.Q, args DeliverArgs) error {
	if o == nil {
		return nil
	}
	if _, ok := parsed[args.Template]; !ok {
		return fmt.Errorf("mail: unknown template %q", args.Template)
	}
	if err := o.Jobs.Enqueue(ctx, q, args, nil); err != nil {
		return fmt.Errorf("mail: queue %s to %s: %w", args.Template, args.To, err)
	}
	return nil
}

// LinkURL is the start of a link to path on this instance whose last query parameter,
// param, the worker fills with the secret.
func (o *Outbox) LinkURL(path, param string) string {
	if o == nil {
		return ""
	}
	return o.Config.BaseURL() + path + "?" + url.QueryEscape(param) + "="
}

// Worker renders and sends queued mail.
type Worker struct {
	river.WorkerDefaults[DeliverArgs]
	Config config.Config
	Sender Sender
	Tokens TokenIssuer
	Log    *slog.Logger
}

// Work sends one mail. Failures are returned for the queue to retry, except those no
// retry can fix (an unknown template, a recipient the server refuses with 5xx), which
// cancel the job into the dead set at once.
func (w *Worker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	m, err := w.prepare(ctx, job.Args)
	if errors.Is(err, ErrObsolete) {
		w.log().InfoContext(ctx, "mail dropped: no longer applies", "template", job.Args.Template, "to", job.Args.To)
		return nil
	}
	if err == nil {
		err = w.Sender.Send(ctx, m)
	}
	if IsPermanent(err) {
		return river.JobCancel(err)
	}
	return err
}

// prepare mints the link's token, if any, and renders the message.
func (w *Worker) prepare(ctx context.Context, a DeliverArgs) (Message, error) {
	if _, ok := parsed[a.Template]; !ok {
		return Message{}, Permanent(fmt.Errorf("mail: unknown template %q", a.Template))
	}
	link := ""
	if a.Link != nil {
		secret, err := w.Tokens.IssueToken(ctx, a.Link.Kind, a.Link.UserID, a.To)
		if err != nil {
			return Message{}, err
		}
		link = a.Link.URL + url.QueryEscape(secret)
	}
	m, err := Render(w.Config, a.Template, a.To, link, a.Data)
	if err != nil {
		return Message{}, Permanent(err)
	}
	return m, nil
}

func (w *Worker) log() *slog.Logger {
	if w.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return w.Log
}
