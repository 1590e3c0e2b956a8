package social

import (
	"context"
	"errors"
	"math"
	neturl "net/url"
	"sort"
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

// Enqueuer inserts a job, inside q's transaction when q is one (jobs.Service does).
type Enqueuer interface {
	Enqueue(ctx context.Context, q store.Q, args river.JobArgs, opts *river.InsertOpts) error
}

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
// page is fetched again.
const cardMaxAge = 14 * 24 * time.Hour

// enqueueCard queues, in q's transaction, the card fetch for a new local status's first
// link to another site (mentions and hashtags are not links).
func (s *Service) enqueueCard(ctx context.Context, q store.Q, st *model.Status) error {
	if s.Jobs == nil || st.ReblogOfID != nil {
		return nil
	}
	_, _, urls := text.Parse(st.Text)
	for _, link := range urls {
		if u, err := neturl.Parse(link); err == nil && !s.isLocalHost(u.Host) {
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

// RefreshLinkTrendsArgs is the periodic job that ranks the links shared lately.
type RefreshLinkTrendsArgs struct{}

// Kind names the job.
func (RefreshLinkTrendsArgs) Kind() string { return "refresh_link_trends" }

type trendsWorker struct {
	river.WorkerDefaults[RefreshLinkTrendsArgs]
	s *Service
}

func (w *trendsWorker) Work(ctx context.Context, _ *river.Job[RefreshLinkTrendsArgs]) error {
	n, err := w.s.RefreshLinkTrends(ctx, time.Now())
	if err != nil {
		return err
	}
	return river.RecordOutput(ctx, map[string]int{"links": n})
}

// RegisterLinkJobs adds the card fetch and the trending links refresh (every
// interval) to reg; client is the guarded outbound client the fetch uses.
func (s *Service) RegisterLinkJobs(reg *jobs.Registry, client *outbound.Client, interval time.Duration) {
	jobs.Register(reg, &cardWorker{s: s, client: client})
	jobs.Register(reg, &trendsWorker{s: s})
	reg.Every(interval, RefreshLinkTrendsArgs{})
}

// Trending links: each account that shared a link publicly in the last week counts
// once, by its latest share, weighted by how recent that share is (halved every
// trendHalfLife), so a link many people shared today outranks one shared last week.
const (
	trendWindow      = 7 * 24 * time.Hour
	trendHalfLife    = 24 * time.Hour
	maxTrendingLinks = 100
)

// RefreshLinkTrends recomputes the trending links as of now and reports how many trend.
func (s *Service) RefreshLinkTrends(ctx context.Context, now time.Time) (int, error) {
	shares, err := s.Store.LinkShares(ctx, now.Add(-trendWindow))
	if err != nil {
		return 0, err
	}
	trends := scoreLinks(shares, now)
	return len(trends), s.Store.Tx(ctx, func(q store.Q) error { return q.ReplaceLinkTrends(ctx, trends) })
}

// scoreLinks ranks the cards of shares, best first.
func scoreLinks(shares []store.LinkShare, now time.Time) []store.LinkTrend {
	latest := map[[2]int64]int64{} // (card, account) → newest status id
	for _, sh := range shares {
		key := [2]int64{sh.CardID, sh.AccountID}
		latest[key] = max(latest[key], sh.StatusID)
	}
	score := map[int64]float64{}
	for key, statusID := range latest {
		age := max(now.Sub(id.Time(statusID)), 0)
		score[key[0]] += math.Pow(0.5, float64(age)/float64(trendHalfLife))
	}
	out := make([]store.LinkTrend, 0, len(score))
	for card, sc := range score {
		out = append(out, store.LinkTrend{CardID: card, Score: sc})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].CardID > out[j].CardID
	})
	return out[:min(len(out), maxTrendingLinks)]
}

// TrendingLinks lists the trending links with their week of history.
func (s *Service) TrendingLinks(ctx context.Context, offset, limit int) ([]*model.TrendingLink, error) {
	cards, err := s.Store.TrendingCards(ctx, offset, limit)
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
