package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tuskhq/tusk/internal/model"
)

// participantKey is the stored form of a participant set: sorted ids, comma-separated.
func participantKey(ids []int64) string {
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	parts := make([]string, len(sorted))
	for i, v := range sorted {
		parts[i] = strconv.FormatInt(v, 10)
	}
	return strings.Join(parts, ",")
}

func parseParticipants(s string) []int64 {
	var out []int64
	for _, part := range strings.Split(s, ",") {
		if v, err := strconv.ParseInt(part, 10, 64); err == nil {
			out = append(out, v)
		}
	}
	return out
}

// AddToConversation files statusID in accountID's conversation with the participants
// in the thread, creating it if needed; unread says whether it now waits to be read.
func (q Q) AddToConversation(ctx context.Context, accountID, threadID int64, participants []int64, statusID int64, unread bool) error {
	var convID int64
	err := q.db.QueryRowContext(ctx, `INSERT INTO conversations (id, account_id, thread_id, participant_ids, unread, last_status_id)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (account_id, thread_id, participant_ids) DO UPDATE SET
		unread = excluded.unread, last_status_id = excluded.last_status_id RETURNING id`,
		q.NewID(), accountID, threadID, participantKey(participants), unread, statusID).Scan(&convID)
	if err != nil {
		return fmt.Errorf("store: add to conversation: %w", err)
	}
	_, err = q.db.ExecContext(ctx, `INSERT INTO conversation_statuses (conversation_id, status_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
		convID, statusID)
	return wrap(err, "file status in conversation")
}

const conversationColumns = `c.id, c.account_id, c.participant_ids, c.unread, c.last_status_id`

func scanConversation(row scanner) (*model.Conversation, error) {
	var c model.Conversation
	var participants string
	err := row.Scan(&c.ID, &c.AccountID, &participants, &c.Unread, &c.LastStatusID)
	c.ParticipantIDs = parseParticipants(participants)
	return &c, err
}

// Conversations lists accountID's conversations that still hold a status, most
// recently active first; the page bounds apply to the last status's id.
func (q Q) Conversations(ctx context.Context, accountID int64, p Page) ([]*model.Conversation, error) {
	var b builder
	b.where("c.account_id = ?", accountID)
	b.where("c.last_status_id IS NOT NULL")
	tail := b.page("c.last_status_id", p)
	rows, err := q.db.QueryContext(ctx, `SELECT `+conversationColumns+` FROM conversations c`+b.clause()+tail, b.args...)
	if err != nil {
		return nil, fmt.Errorf("store: conversations: %w", err)
	}
	defer rows.Close()
	var out []*model.Conversation
	for rows.Next() {
		c, err := scanConversation(rows)
		if err != nil {
			return nil, fmt.Errorf("store: conversations: %w", err)
		}
		out = append(out, c)
	}
	return ordered(p, out), rows.Err()
}

// ConversationByID loads one of accountID's conversations; others' are not found.
func (q Q) ConversationByID(ctx context.Context, accountID, id int64) (*model.Conversation, error) {
	c, err := scanConversation(q.db.QueryRowContext(ctx, `SELECT `+conversationColumns+` FROM conversations c
		WHERE c.id = $1 AND c.account_id = $2 AND c.last_status_id IS NOT NULL`, id, accountID))
	return c, notFound(err, fmt.Sprintf("conversation %d", id))
}

// DeleteConversation removes one of accountID's conversations (the statuses stay).
func (q Q) DeleteConversation(ctx context.Context, accountID, id int64) error {
	res, err := q.db.ExecContext(ctx, `DELETE FROM conversations WHERE id = $1 AND account_id = $2`, id, accountID)
	if err != nil {
		return fmt.Errorf("store: delete conversation: %w", err)
	}
	return mustAffect(res, fmt.Sprintf("delete conversation %d", id))
}

// MarkConversationRead clears the unread flag of one of accountID's conversations.
func (q Q) MarkConversationRead(ctx context.Context, accountID, id int64) error {
	res, err := q.db.ExecContext(ctx, `UPDATE conversations SET unread = $1 WHERE id = $2 AND account_id = $3`, false, id, accountID)
	if err != nil {
		return fmt.Errorf("store: read conversation: %w", err)
	}
	return mustAffect(res, fmt.Sprintf("read conversation %d", id))
}

// DirectTimeline lists the direct statuses viewer wrote or is mentioned in.
func (q Q) DirectTimeline(ctx context.Context, viewer int64, p Page) ([]*model.Status, error) {
	var b builder
	b.where("s.visibility = 'direct'")
	// Both sides come from an index (the viewer's statuses, the viewer's mentions)
	// instead of a scan of every direct status.
	b.where(`s.id IN (SELECT ds.id FROM statuses ds WHERE ds.account_id = ? AND ds.visibility = 'direct'
		UNION SELECT dm.status_id FROM mentions dm WHERE dm.account_id = ?)`, viewer, viewer)
	tail := b.page("s.id", p)
	out, err := q.statuses(ctx, "direct timeline", b.clause()+tail, b.args...)
	return ordered(p, out), err
}
