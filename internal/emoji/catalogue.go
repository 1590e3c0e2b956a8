package emoji

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// staleAfter is how long the catalogue trusts its copy before asking the database
// whether emoji changed (an import by the command line happens in another process).
const staleAfter = 15 * time.Second

// Catalogue keeps the local emoji in memory, so rendering a status or an account
// finds its shortcodes without a query. It checks for changes in the background.
type Catalogue struct {
	store *store.Store
	log   *slog.Logger

	mu         sync.Mutex
	byCode     map[string]*model.CustomEmoji
	version    string
	checked    time.Time // zero: load before the next lookup
	refreshing bool
}

// NewCatalogue returns a catalogue that loads on its first lookup.
func NewCatalogue(st *store.Store, log *slog.Logger) *Catalogue {
	return &Catalogue{store: st, log: log}
}

// Emoji returns the enabled local emoji with the shortcode. A nil catalogue has none.
func (c *Catalogue) Emoji(shortcode string) (*model.CustomEmoji, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.checked.IsZero():
		c.load()
	case time.Since(c.checked) > staleAfter && !c.refreshing:
		c.refreshing = true
		go c.refresh()
	}
	e, ok := c.byCode[shortcode]
	return e, ok
}

// Invalidate makes the next lookup reload, for changes made in this process.
func (c *Catalogue) Invalidate() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.checked = time.Time{}
	c.mu.Unlock()
}

// load reads every emoji; c.mu is held. A failure keeps the old copy and retries later.
func (c *Catalogue) load() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	version, err := c.store.EmojiVersion(ctx)
	if err == nil {
		err = c.loadVersion(ctx, version)
	}
	if err != nil && c.log != nil {
		c.log.Warn("custom emoji: load", "err", err)
	}
	c.checked = time.Now()
}

func (c *Catalogue) loadVersion(ctx context.Context, version string) error {
	list, err := c.store.LocalEmojis(ctx)
	if err != nil {
		return err
	}
	byCode := make(map[string]*model.CustomEmoji, len(list))
	for _, e := range list {
		byCode[e.Shortcode] = e
	}
	c.byCode, c.version = byCode, version
	return nil
}

// refresh reloads when the database's emoji changed since the last load.
func (c *Catalogue) refresh() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	version, err := c.store.EmojiVersion(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refreshing = false
	if err == nil && version != c.version {
		c.load()
		return
	}
	c.checked = time.Now()
}
