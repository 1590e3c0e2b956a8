package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/server"
)

// maxClients caps how many seeded accounts get a token; requests pick among them.
const maxClients = 500

// pageSize is the limit every timeline request asks for, and the count it must get.
const pageSize = 20

// clients are signed-in API clients of the in-process server: real bearer tokens for
// a random sample of seeded accounts.
type clients struct {
	handler http.Handler
	tokens  []string
	rng     *mrand.Rand
}

func newClients(ctx context.Context, srv *server.Server, seeded *Seeded, o Options) (*clients, error) {
	app := &model.App{Name: "tusk bench", RedirectURIs: []string{"urn:ietf:wg:oauth:2.0:oob"},
		Scopes: []string{"read", "write"}, ClientID: randomHex(16), ClientSecret: randomHex(32)}
	if err := srv.Store.Writer().InsertApp(ctx, app); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	c := &clients{handler: srv.Handler(), rng: mrand.New(mrand.NewPCG(o.Seed, 1))}
	users := seeded.plan.users
	for _, i := range c.rng.Perm(len(users))[:min(maxClients, len(users))] {
		token, _, _, err := srv.OAuth.IssueToken(ctx, app.ID, &users[i].ID, app.Scopes)
		if err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
		c.tokens = append(c.tokens, token)
	}
	return c, nil
}

// cursor is a page already read: the client that read it and its last status id.
type cursor struct {
	client int
	maxID  string
}

// timeline sends n GETs of path, one at a time; every fifth asks for the page after
// one read earlier (max_id). Home pages are followed by the client that read them;
// the public timeline is the same for everyone, so any client may follow any page.
func (c *clients) timeline(ctx context.Context, path string, perClient bool, n int) (Latency, error) {
	var pages []cursor
	took := make([]time.Duration, 0, n)
	for i := range n {
		cur := cursor{client: c.rng.IntN(len(c.tokens))}
		if i%5 == 4 && len(pages) > 0 {
			k := c.rng.IntN(len(pages))
			cur.maxID = pages[k].maxID
			if perClient {
				cur.client = pages[k].client
			}
			pages[k] = pages[len(pages)-1]
			pages = pages[:len(pages)-1]
		}
		d, last, err := c.get(ctx, path, cur)
		if err != nil {
			return Latency{}, err
		}
		took = append(took, d)
		pages = append(pages, cursor{client: cur.client, maxID: last})
	}
	return summarize(took), nil
}

// get sends one timeline request through the handler and checks it returned a full page.
func (c *clients) get(ctx context.Context, path string, cur cursor) (time.Duration, string, error) {
	target := fmt.Sprintf("%s?limit=%d", path, pageSize)
	if cur.maxID != "" {
		target += "&max_id=" + cur.maxID
	}
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	req.Header.Set("Authorization", "Bearer "+c.tokens[cur.client])
	rec := httptest.NewRecorder()
	start := time.Now()
	c.handler.ServeHTTP(rec, req)
	took := time.Since(start)
	if rec.Code != http.StatusOK {
		return 0, "", fmt.Errorf("bench: GET %s: status %d: %.300s", target, rec.Code, rec.Body.String())
	}
	var page []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
		return 0, "", fmt.Errorf("bench: GET %s: %w", target, err)
	}
	if len(page) != pageSize {
		return 0, "", fmt.Errorf("bench: GET %s: %d statuses, want %d", target, len(page), pageSize)
	}
	return took, page[len(page)-1].ID, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails; see crypto/rand
	return hex.EncodeToString(b)
}
