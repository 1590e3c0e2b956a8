-- Grouped notifications: each notification's group is fixed when it is created, so a
-- page of groups is read without recomputing buckets. Ungrouped ones carry
-- 'ungrouped-<id>', the key Mastodon shows for them.
ALTER TABLE notifications ADD COLUMN group_key TEXT NOT NULL DEFAULT '';
UPDATE notifications SET group_key = 'ungrouped-' || id;
-- Held back by the recipient's notification policy until its request is accepted.
ALTER TABLE notifications ADD COLUMN filtered BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX notifications_group ON notifications (account_id, group_key, id);
CREATE INDEX notifications_filtered ON notifications (account_id, from_account_id, id) WHERE filtered;

CREATE TABLE notification_policies (
  account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  for_not_following TEXT NOT NULL,
  for_not_followers TEXT NOT NULL,
  for_new_accounts TEXT NOT NULL,
  for_private_mentions TEXT NOT NULL,
  for_limited_accounts TEXT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);

-- One pending request per sender whose notifications the policy filtered.
CREATE TABLE notification_requests (
  id BIGINT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  from_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  UNIQUE (account_id, from_account_id)
);
CREATE INDEX notification_requests_account ON notification_requests (account_id, id);

-- Senders whose request was accepted: their notifications pass the policy from then on.
CREATE TABLE notification_permissions (
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  from_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (account_id, from_account_id)
);

CREATE TABLE markers (
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  timeline TEXT NOT NULL,
  last_read_id BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 0,
  updated_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (account_id, timeline)
);

-- A member's view of one direct-message thread with one set of participants
-- (participant_ids: the others' ids, sorted, comma-separated).
CREATE TABLE conversations (
  id BIGINT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  thread_id BIGINT NOT NULL,
  participant_ids TEXT NOT NULL,
  unread BOOLEAN NOT NULL DEFAULT FALSE,
  last_status_id BIGINT NULL,
  UNIQUE (account_id, thread_id, participant_ids)
);
CREATE INDEX conversations_account ON conversations (account_id, last_status_id);

CREATE TABLE conversation_statuses (
  conversation_id BIGINT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
  PRIMARY KEY (conversation_id, status_id)
);
CREATE INDEX conversation_statuses_status ON conversation_statuses (status_id);

-- A deleted status leaves its conversations pointing at the newest one still there
-- (NULL when none is, which hides the conversation).
CREATE FUNCTION conversation_status_removed() RETURNS trigger AS $$
BEGIN
  UPDATE conversations SET last_status_id =
      (SELECT MAX(status_id) FROM conversation_statuses WHERE conversation_id = OLD.conversation_id)
    WHERE id = OLD.conversation_id AND last_status_id = OLD.status_id;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER conversation_statuses_deleted AFTER DELETE ON conversation_statuses
  FOR EACH ROW EXECUTE FUNCTION conversation_status_removed();

-- Reading preferences Mastodon reports in GET /api/v1/preferences.
ALTER TABLE users ADD COLUMN reading_expand_media TEXT NOT NULL DEFAULT 'default';
ALTER TABLE users ADD COLUMN reading_expand_spoilers BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN reading_autoplay_gifs BOOLEAN NOT NULL DEFAULT FALSE;
