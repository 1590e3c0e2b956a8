package social

import (
	"context"
	"net/url"
	"path"

	"github.com/tuskhq/tusk/internal/id"
)

// EmbeddableStatus finds the local status at a URL (its web page or its ActivityPub id)
// that anyone may see, as oEmbed needs. Anything else is 404.
func (s *Service) EmbeddableStatus(ctx context.Context, rawURL string) (*StatusView, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return nil, ErrNotFound
	}
	statusID, ok := id.Parse(path.Base(u.Path))
	if !ok {
		return nil, ErrNotFound
	}
	st, err := s.VisibleStatus(ctx, nil, statusID)
	if err != nil {
		return nil, err
	}
	u.RawQuery, u.Fragment = "", ""
	// VisibleStatus let through only what a visitor may see: public and unlisted.
	if !st.Local || st.ReblogOfID != nil || (u.String() != st.URL && u.String() != st.URI) {
		return nil, ErrNotFound
	}
	return s.View(ctx, nil, st)
}
