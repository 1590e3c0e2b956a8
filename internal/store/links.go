package store

import (
	"context"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
)

const cardColumns = `c.id, c.url, c.title, c.description, c.type, c.author_name, c.author_url, c.provider_name,
	c.provider_url, c.image_url, c.image_description, c.width, c.height, c.language, c.published_at, c.fetched_at`

func scanCard(row scanner) (*model.PreviewCard, error) {
	var c model.PreviewCard
	err := row.Scan(&c.ID, &c.URL, &c.Title, &c.Description, &c.Type, &c.AuthorName, &c.AuthorURL, &c.ProviderName,
		&c.ProviderURL, &c.ImageURL, &c.ImageDescription, &c.Width, &c.Height, &c.Language, &c.PublishedAt, &c.FetchedAt)
	return &c, err
}

// CardByURL loads the card of a URL.
func (q Q) CardByURL(ctx context.Context, url string) (*model.PreviewCard, error) {
	c, err := scanCard(q.db.QueryRowContext(ctx, `SELECT `+cardColumns+` FROM preview_cards c WHERE c.url = $1`, url))
	return c, notFound(err, "preview card")
}

// SaveCard stores c by its URL, replacing what an earlier fetch stored, and sets c.ID.
func (q Q) SaveCard(ctx context.Context, c *model.PreviewCard) error {
	if c.ID == 0 {
		c.ID = q.NewID()
	}
	err := q.db.QueryRowContext(ctx, `INSERT INTO preview_cards (id, url, title, description, type, author_name, author_url,
		provider_name, provider_url, image_url, image_description, width, height, language, published_at, fetched_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		ON CONFLICT (url) DO UPDATE SET title = excluded.title, description = excluded.description, type = excluded.type,
		author_name = excluded.author_name, author_url = excluded.author_url, provider_name = excluded.provider_name,
		provider_url = excluded.provider_url, image_url = excluded.image_url, image_description = excluded.image_description,
		width = excluded.width, height = excluded.height, language = excluded.language, published_at = excluded.published_at,
		fetched_at = excluded.fetched_at
		RETURNING id`,
		c.ID, c.URL, c.Title, c.Description, c.Type, c.AuthorName, c.AuthorURL, c.ProviderName, c.ProviderURL, c.ImageURL,
		c.ImageDescription, c.Width, c.Height, c.Language, c.PublishedAt, c.FetchedAt).Scan(&c.ID)
	return wrap(err, "save preview card")
}

// AttachCard shows card cardID on a status.
func (q Q) AttachCard(ctx context.Context, statusID, cardID int64) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO status_preview_cards (status_id, preview_card_id) VALUES ($1, $2)
		ON CONFLICT (status_id) DO UPDATE SET preview_card_id = excluded.preview_card_id`, statusID, cardID)
	return wrap(err, "attach preview card")
}

// CardsOf returns the card of each of the statuses that has one.
func (q Q) CardsOf(ctx context.Context, statusIDs []int64) (map[int64]*model.PreviewCard, error) {
	out := map[int64]*model.PreviewCard{}
	if len(statusIDs) == 0 {
		return out, nil
	}
	rows, err := q.db.QueryContext(ctx, `SELECT spc.status_id, `+cardColumns+` FROM status_preview_cards spc
		JOIN preview_cards c ON c.id = spc.preview_card_id WHERE spc.status_id IN (`+placeholders(1, len(statusIDs))+`)`,
		int64Args(statusIDs)...)
	if err != nil {
		return nil, fmt.Errorf("store: cards of statuses: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var statusID int64
		c, err := scanCard(prefixed{rows, &statusID})
		if err != nil {
			return nil, fmt.Errorf("store: cards of statuses: %w", err)
		}
		out[statusID] = c
	}
	return out, rows.Err()
}

// prefixed scans one leading column into first, then the rest as the wrapped scanner would.
type prefixed struct {
	row   scanner
	first any
}

func (p prefixed) Scan(dest ...any) error { return p.row.Scan(append([]any{p.first}, dest...)...) }

// LinkShare is one account's sharing of a card: its newest public status showing it.
type LinkShare struct {
	CardID, AccountID, LastStatusID int64
}

// RecentLinkShares lists, per card and author, the newest public original status showing
// the card among those with ids above since, by discoverable accounts that are not
// suspended (the same candidates as trending statuses).
func (q Q) RecentLinkShares(ctx context.Context, since int64) ([]LinkShare, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT spc.preview_card_id, s.account_id, MAX(s.id) FROM status_preview_cards spc
		JOIN statuses s ON s.id = spc.status_id JOIN accounts a ON a.id = s.account_id
		WHERE spc.status_id > $1 AND s.visibility = 'public' AND s.reblog_of_id IS NULL AND a.discoverable AND a.suspended_at IS NULL
		GROUP BY spc.preview_card_id, s.account_id`, since)
	if err != nil {
		return nil, fmt.Errorf("store: recent link shares: %w", err)
	}
	defer rows.Close()
	var out []LinkShare
	for rows.Next() {
		var l LinkShare
		if err := rows.Scan(&l.CardID, &l.AccountID, &l.LastStatusID); err != nil {
			return nil, fmt.Errorf("store: recent link shares: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// TrendingCards lists the trending links' cards, highest score first; reviews apply as
// to tags and statuses (see trendFilter).
func (q Q) TrendingCards(ctx context.Context, requireReview bool, limit, offset int) ([]*model.PreviewCard, error) {
	b := trendFilter(model.TrendLink, requireReview)
	rows, err := q.db.QueryContext(ctx, `SELECT `+cardColumns+` FROM trends tr JOIN preview_cards c ON c.id = tr.target_id`+
		b.clause()+fmt.Sprintf(` ORDER BY tr.score DESC, c.id DESC LIMIT %d OFFSET %d`, limit, offset), b.args...)
	if err != nil {
		return nil, fmt.Errorf("store: trending cards: %w", err)
	}
	defer rows.Close()
	var out []*model.PreviewCard
	for rows.Next() {
		c, err := scanCard(rows)
		if err != nil {
			return nil, fmt.Errorf("store: trending cards: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CardHistory counts the public statuses sharing a card and their distinct authors per
// UTC day for the last days, newest first. Day bounds are id bounds, as for tags.
func (q Q) CardHistory(ctx context.Context, cardID int64, days int) ([]model.TagDay, error) {
	today := time.Now().UTC().Truncate(24 * time.Hour)
	out := make([]model.TagDay, 0, days)
	for i := 0; i < days; i++ {
		day := today.AddDate(0, 0, -i)
		d := model.TagDay{Day: day}
		err := q.db.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT s.account_id) FROM status_preview_cards spc
			JOIN statuses s ON s.id = spc.status_id WHERE spc.preview_card_id = $1 AND spc.status_id >= $2 AND spc.status_id < $3
			AND s.visibility = 'public' AND s.reblog_of_id IS NULL`,
			cardID, id.Lower(day), id.Lower(day.AddDate(0, 0, 1))).Scan(&d.Uses, &d.Accounts)
		if err != nil {
			return nil, fmt.Errorf("store: card history: %w", err)
		}
		out = append(out, d)
	}
	return out, nil
}

// LinkTimeline lists the public original statuses that show card cardID. It walks the
// card's index (card, status) newest first, so a rarely shared link costs little.
func (q Q) LinkTimeline(ctx context.Context, cardID int64, p Page) ([]*model.Status, error) {
	var b builder
	b.where(`spc.preview_card_id = ?`, cardID)
	b.where(`s.visibility = 'public' AND s.reblog_of_id IS NULL`)
	tail := b.page("spc.status_id", p)
	out, err := q.statuses(ctx, "link timeline", ` JOIN status_preview_cards spc ON spc.status_id = s.id`+b.clause()+tail, b.args...)
	return ordered(p, out), err
}
