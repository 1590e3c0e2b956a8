package store

import (
	"context"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

// Markers loads accountID's markers for the named timelines, keyed by timeline.
func (q Q) Markers(ctx context.Context, accountID int64, timelines []string) (map[string]*model.Marker, error) {
	out := map[string]*model.Marker{}
	if len(timelines) == 0 {
		return out, nil
	}
	args := append([]any{accountID}, stringArgs(timelines)...)
	rows, err := q.db.QueryContext(ctx, `SELECT timeline, last_read_id, version, updated_at FROM markers
		WHERE account_id = $1 AND timeline IN (`+placeholders(2, len(timelines))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: markers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m model.Marker
		if err := rows.Scan(&m.Timeline, &m.LastReadID, &m.Version, &m.UpdatedAt); err != nil {
			return nil, fmt.Errorf("store: markers: %w", err)
		}
		out[m.Timeline] = &m
	}
	return out, rows.Err()
}

// SaveMarker moves accountID's marker in a timeline; the version counts the moves.
func (q Q) SaveMarker(ctx context.Context, accountID int64, timeline string, lastReadID int64) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO markers (account_id, timeline, last_read_id, version, updated_at)
		VALUES ($1, $2, $3, 0, $4) ON CONFLICT (account_id, timeline) DO UPDATE SET
		version = CASE WHEN markers.last_read_id = excluded.last_read_id THEN markers.version ELSE markers.version + 1 END,
		updated_at = CASE WHEN markers.last_read_id = excluded.last_read_id THEN markers.updated_at ELSE excluded.updated_at END,
		last_read_id = excluded.last_read_id`,
		accountID, timeline, lastReadID, time.Now().UTC())
	return wrap(err, "save %s marker", timeline)
}
