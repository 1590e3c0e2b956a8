package social

import (
	"context"
	"errors"
	neturl "net/url"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/outbound"
	"github.com/tuskhq/tusk/internal/preview"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/text"
)

// FetchCardArgs is the job that fetches the preview card of the first link of a status.
// The id travels as a string: a JSON number that large loses digits where the queue
// decodes it as a float.
type FetchCardArgs struct {
	StatusID int64  `json:"status_id,string"`
	URL      string `json:"url"`
}

// Kind names the job.
func (FetchCardArgs) Kind() string { return "fetch_preview_card" }

// InsertOpts puts card fetches on the low-priority pull queue; a page that fails a few
// times is given up.
func (FetchCardArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.Pull, MaxAttempts: 3}
}

// cardMaxAge is how long a stored card serves new statuses linking its URL before the
// page is fetched again; links longer than maxCardURL get no card.
const (
	cardMaxAge = 14 * 24 * time.Hour
	maxCardURL = 2048
)

// enqueueCard queues, in q's transaction, the card fetch for a new local status's first
// link to another site (mentions and hashtags are not links).
func (s *Service) enqueueCard(ctx context.Context, q store.Q, st *model.Status) error {
	if s.Jobs == nil || st.ReblogOfID != nil {
		return nil
	}
	_, _, urls := text.Parse(st.Text)
	for _, link := range urls {
		if u, err := neturl.Parse(link); err == nil && len(link) <= maxCardURL && !s.isLocalHost(u.Host) {
			return s.Jobs.Enqueue(ctx, q, FetchCardArgs{StatusID: st.ID, URL: link}, nil)
		}
	}
	return nil
}

// isLocalHost reports whether host is this instance: its own pages make no card.
func (s *Service) isLocalHost(host string) bool {
	host = strings.ToLower(host)
	return host == s.Config.WebDomain || host == s.Config.LocalDomain
}

type cardWorker struct {
	river.WorkerDefaults[FetchCardArgs]
	s      *Service
	client *outbound.Client
}

func (w *cardWorker) Work(ctx context.Context, job *river.Job[FetchCardArgs]) error {
	err := w.s.FetchCard(ctx, w.client, job.Args.StatusID, job.Args.URL)
	if preview.Final(err) {
		return river.JobCancel(err)
	}
	return err
}

// FetchCard gives a status the card of url: the stored one while fresh, else a new
// fetch through client. A status deleted meanwhile needs none.
func (s *Service) FetchCard(ctx context.Context, client *outbound.Client, statusID int64, url string) error {
	if _, err := s.Store.StatusByID(ctx, statusID); errors.Is(err, store.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	card, err := s.Store.CardByURL(ctx, url)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err != nil || time.Since(card.FetchedAt) > cardMaxAge {
		if card, err = preview.Fetch(ctx, client, url); err != nil {
			return err
		}
	}
	return s.Store.Tx(ctx, func(q store.Q) error {
		if err := q.SaveCard(ctx, card); err != nil {
			return err
		}
		return q.AttachCard(ctx, statusID, card.ID)
	})
}

// RegisterLinkJobs adds the card fetch to reg; client is the guarded outbound client it
// uses. Trending links are ranked by the trends refresh (trends.go).
func (s *Service) RegisterLinkJobs(reg *jobs.Registry, client *outbound.Client) {
	jobs.Register(reg, &cardWorker{s: s, client: client})
}

// Links trend as tags do (docs/decisions.md, "Trends"): over the trends window, each
// discoverable author's newest public share of a link counts once, weighed by its age,
// halving every linkHalfLife; a link needs minLinkAccounts distinct authors.
const (
	linkHalfLife    = 12 * time.Hour
	minLinkAccounts = 2
)

// linkScores sums, per card, one decayed weight per distinct author.
func linkScores(now time.Time, shares []store.LinkShare) map[int64]float64 {
	scores, authors := map[int64]float64{}, map[int64]int{}
	for _, sh := range shares {
		scores[sh.CardID] += decay(now, id.Time(sh.LastStatusID), linkHalfLife)
		authors[sh.CardID]++
	}
	for card, n := range authors {
		if n < minLinkAccounts {
			delete(scores, card)
		}
	}
	return topScores(scores)
}

// TrendingLinks lists the trending links with their week of history.
func (s *Service) TrendingLinks(ctx context.Context, limit, offset int) ([]*model.TrendingLink, error) {
	cards, err := s.Store.TrendingCards(ctx, s.Config.Discovery.TrendsRequireReview, limit, offset)
	if err != nil {
		return nil, err
	}
	out := make([]*model.TrendingLink, len(cards))
	for i, c := range cards {
		history, err := s.Store.CardHistory(ctx, c.ID, 7)
		if err != nil {
			return nil, err
		}
		out[i] = &model.TrendingLink{PreviewCard: c, History: history}
	}
	return out, nil
}

// LinkTimeline lists the public statuses that share the card of url; a URL without a
// card is a 404.
func (s *Service) LinkTimeline(ctx context.Context, viewer *model.Account, url string, p httpx.Page) ([]*StatusView, error) {
	card, err := s.Store.CardByURL(ctx, url)
	if err != nil {
		return nil, orNotFound(err)
	}
	list, err := s.Store.LinkTimeline(ctx, card.ID, storePage(p))
	if err != nil {
		return nil, err
	}
	return s.Views(ctx, viewer, list)
}
