package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

// SetRemotePollCounts stores the counts a remote poll's server announced: the votes of
// each option and the distinct voters. They replace the previous announcement.
func (q Q) SetRemotePollCounts(ctx context.Context, pollID int64, votes []int64, voters int64, at time.Time) error {
	data, err := json.Marshal(votes)
	if err != nil {
		return fmt.Errorf("store: remote poll counts %d: %w", pollID, err)
	}
	_, err = q.db.ExecContext(ctx, `INSERT INTO remote_poll_counts (poll_id, votes, voters_count, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (poll_id) DO UPDATE SET votes = excluded.votes, voters_count = excluded.voters_count, updated_at = excluded.updated_at`,
		pollID, string(data), voters, at.UTC())
	return wrap(err, "remote poll counts %d", pollID)
}

// remoteCounts is one remote poll's announcement.
type remoteCounts struct {
	votes  []int64
	voters int64
}

// overlayRemoteCounts replaces the tallies of remote polls with what their servers
// announced, plus the local votes cast since (they reach the count there, and come
// back with the next Update).
func (q Q) overlayRemoteCounts(ctx context.Context, ids []int64, out map[int64]*model.PollTally) error {
	announced, err := q.remotePollCounts(ctx, ids)
	if err != nil || len(announced) == 0 {
		return err
	}
	fresh := make(map[int64]*model.PollTally, len(announced))
	remoteIDs := make([]int64, 0, len(announced))
	for id, c := range announced {
		t := &model.PollTally{PerOption: make([]int64, len(out[id].PerOption)), Voters: c.voters}
		for i := range t.PerOption {
			if i < len(c.votes) {
				t.PerOption[i] = c.votes[i]
				t.Votes += c.votes[i]
			}
		}
		fresh[id] = t
		remoteIDs = append(remoteIDs, id)
	}
	if err := q.addVotesSinceAnnouncement(ctx, remoteIDs, fresh); err != nil {
		return err
	}
	for id, t := range fresh {
		out[id] = t
	}
	return nil
}

func (q Q) remotePollCounts(ctx context.Context, ids []int64) (map[int64]remoteCounts, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT poll_id, votes, voters_count FROM remote_poll_counts WHERE poll_id IN (`+
		placeholders(1, len(ids))+`)`, int64Args(ids)...)
	if err != nil {
		return nil, fmt.Errorf("store: remote poll counts: %w", err)
	}
	defer rows.Close()
	out := map[int64]remoteCounts{}
	for rows.Next() {
		var id int64
		var votes string
		var c remoteCounts
		if err := rows.Scan(&id, &votes, &c.voters); err != nil {
			return nil, fmt.Errorf("store: remote poll counts: %w", err)
		}
		if err := json.Unmarshal([]byte(votes), &c.votes); err != nil {
			return nil, fmt.Errorf("store: remote poll counts %d: %w", id, err)
		}
		out[id] = c
	}
	return out, rows.Err()
}

// addVotesSinceAnnouncement adds the local votes cast after each poll's counts were
// announced.
func (q Q) addVotesSinceAnnouncement(ctx context.Context, ids []int64, out map[int64]*model.PollTally) error {
	in := placeholders(1, len(ids))
	rows, err := q.db.QueryContext(ctx, `SELECT v.poll_id, v.choice, COUNT(*) FROM poll_votes v
		JOIN remote_poll_counts r ON r.poll_id = v.poll_id
		WHERE v.poll_id IN (`+in+`) AND v.created_at > r.updated_at GROUP BY v.poll_id, v.choice`, int64Args(ids)...)
	if err != nil {
		return fmt.Errorf("store: votes since announcement: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var pollID, choice, n int64
		if err := rows.Scan(&pollID, &choice, &n); err != nil {
			return fmt.Errorf("store: votes since announcement: %w", err)
		}
		if t := out[pollID]; t != nil && choice >= 0 && int(choice) < len(t.PerOption) {
			t.PerOption[choice] += n
			t.Votes += n
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return q.pairs(ctx, "voters since announcement", `SELECT v.poll_id, COUNT(DISTINCT v.account_id) FROM poll_votes v
		JOIN remote_poll_counts r ON r.poll_id = v.poll_id
		WHERE v.poll_id IN (`+in+`) AND v.created_at > r.updated_at GROUP BY v.poll_id`,
		ids, func(pollID, n int64) { out[pollID].Voters += n })
}
