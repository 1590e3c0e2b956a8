package store

import (
	"context"
	"fmt"
	"time"
)

// WebSession is one browser signed in to the web pages. The cookie holds a random
// id; the table keeps only its SHA-256 (IDHash), as tokens are kept.
type WebSession struct {
	IDHash     string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	UserAgent  string
	IP         string
}

// InsertWebSession stores a new sign-in.
func (q Q) InsertWebSession(ctx context.Context, s *WebSession) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO web_sessions (id_hash, user_id, created_at, last_seen_at, expires_at, user_agent, ip)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, s.IDHash, s.UserID, s.CreatedAt.UTC(), s.LastSeenAt.UTC(),
		s.ExpiresAt.UTC(), s.UserAgent, s.IP)
	return wrap(err, "insert web session")
}

// WebSessionByHash loads a session by the hash of its id, expired or not.
func (q Q) WebSessionByHash(ctx context.Context, idHash string) (*WebSession, error) {
	s := WebSession{IDHash: idHash}
	err := q.db.QueryRowContext(ctx, `SELECT user_id, created_at, last_seen_at, expires_at, user_agent, ip
		FROM web_sessions WHERE id_hash = $1`, idHash).
		Scan(&s.UserID, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt, &s.UserAgent, &s.IP)
	return &s, notFound(err, "web session")
}

// ExtendWebSession records a visit and moves the session's expiry.
func (q Q) ExtendWebSession(ctx context.Context, idHash string, seen, expires time.Time) error {
	_, err := q.db.ExecContext(ctx, `UPDATE web_sessions SET last_seen_at = $1, expires_at = $2 WHERE id_hash = $3`,
		seen.UTC(), expires.UTC(), idHash)
	return wrap(err, "extend web session")
}

// DeleteWebSession signs one browser out; deleting a missing session is not an error.
func (q Q) DeleteWebSession(ctx context.Context, idHash string) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM web_sessions WHERE id_hash = $1`, idHash)
	return wrap(err, "delete web session")
}

// DeleteUserWebSessions signs a user out everywhere (after a password change).
func (q Q) DeleteUserWebSessions(ctx context.Context, userID int64) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM web_sessions WHERE user_id = $1`, userID)
	return wrap(err, "delete web sessions of user %d", userID)
}

// DeleteExpiredWebSessions removes sessions that expired before now.
func (q Q) DeleteExpiredWebSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := q.db.ExecContext(ctx, `DELETE FROM web_sessions WHERE expires_at < $1`, now.UTC())
	if err != nil {
		return 0, fmt.Errorf("store: delete expired web sessions: %w", err)
	}
	return res.RowsAffected()
}
