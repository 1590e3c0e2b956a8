package store

import (
	"context"
	"fmt"

	"github.com/tuskhq/tusk/internal/model"
)

// ReadingPreferences loads the display settings of a user.
func (q Q) ReadingPreferences(ctx context.Context, userID int64) (*model.ReadingPreferences, error) {
	var p model.ReadingPreferences
	err := q.db.QueryRowContext(ctx, `SELECT reading_expand_media, reading_expand_spoilers, reading_autoplay_gifs FROM users WHERE id = $1`,
		userID).Scan(&p.ExpandMedia, &p.ExpandSpoilers, &p.AutoplayGifs)
	return &p, notFound(err, fmt.Sprintf("preferences of user %d", userID))
}
