-- tusk schema, SQLite. Timestamps are stored by the driver as UTC text, so they sort correctly.
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL,
  domain TEXT NOT NULL DEFAULT '',
  display_name TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  note_source TEXT NOT NULL DEFAULT '',
  fields TEXT NOT NULL DEFAULT '[]',
  locked BOOLEAN NOT NULL DEFAULT FALSE,
  bot BOOLEAN NOT NULL DEFAULT FALSE,
  discoverable BOOLEAN NOT NULL DEFAULT TRUE,
  uri TEXT NOT NULL DEFAULT '',
  url TEXT NOT NULL DEFAULT '',
  avatar_remote_url TEXT NOT NULL DEFAULT '',
  header_remote_url TEXT NOT NULL DEFAULT '',
  statuses_count INTEGER NOT NULL DEFAULT 0,
  followers_count INTEGER NOT NULL DEFAULT 0,
  following_count INTEGER NOT NULL DEFAULT 0,
  last_status_at TIMESTAMP NULL,
  suspended_at TIMESTAMP NULL,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX accounts_handle ON accounts (lower(username), domain);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL UNIQUE REFERENCES accounts (id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  password_hash TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL DEFAULT '',
  confirmed_at TIMESTAMP NULL,
  approved BOOLEAN NOT NULL DEFAULT TRUE,
  disabled BOOLEAN NOT NULL DEFAULT FALSE,
  otp_enabled BOOLEAN NOT NULL DEFAULT FALSE,
  locale TEXT NOT NULL DEFAULT '',
  signup_reason TEXT NOT NULL DEFAULT '',
  default_visibility TEXT NOT NULL DEFAULT 'public',
  default_sensitive BOOLEAN NOT NULL DEFAULT FALSE,
  default_language TEXT NOT NULL DEFAULT '',
  created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (lower(email));

CREATE TABLE apps (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  website TEXT NOT NULL DEFAULT '',
  redirect_uris TEXT NOT NULL,
  scopes TEXT NOT NULL,
  client_id TEXT NOT NULL UNIQUE,
  client_secret TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL
);

CREATE TABLE oauth_codes (
  code_hash TEXT PRIMARY KEY,
  app_id INTEGER NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  redirect_uri TEXT NOT NULL,
  scopes TEXT NOT NULL,
  code_challenge TEXT NOT NULL DEFAULT '',
  code_challenge_method TEXT NOT NULL DEFAULT '',
  expires_at TIMESTAMP NOT NULL
);

CREATE TABLE tokens (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  refresh_hash TEXT NULL UNIQUE,
  app_id INTEGER NULL REFERENCES apps (id) ON DELETE CASCADE,
  user_id INTEGER NULL REFERENCES users (id) ON DELETE CASCADE,
  scopes TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL,
  expires_at TIMESTAMP NULL,
  revoked_at TIMESTAMP NULL,
  last_used_at TIMESTAMP NULL
);
CREATE INDEX tokens_user ON tokens (user_id);

CREATE TABLE statuses (
  id INTEGER PRIMARY KEY,
  uri TEXT NOT NULL,
  url TEXT NOT NULL DEFAULT '',
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  in_reply_to_id INTEGER NULL,
  in_reply_to_account_id INTEGER NULL,
  reblog_of_id INTEGER NULL REFERENCES statuses (id) ON DELETE CASCADE,
  text TEXT NOT NULL DEFAULT '',
  content TEXT NOT NULL DEFAULT '',
  spoiler_text TEXT NOT NULL DEFAULT '',
  sensitive BOOLEAN NOT NULL DEFAULT FALSE,
  visibility TEXT NOT NULL,
  language TEXT NULL,
  local BOOLEAN NOT NULL,
  application_id INTEGER NULL REFERENCES apps (id) ON DELETE SET NULL,
  replies_count INTEGER NOT NULL DEFAULT 0,
  reblogs_count INTEGER NOT NULL DEFAULT 0,
  favourites_count INTEGER NOT NULL DEFAULT 0,
  created_at TIMESTAMP NOT NULL,
  edited_at TIMESTAMP NULL
);
CREATE UNIQUE INDEX statuses_uri ON statuses (uri);
CREATE INDEX statuses_account ON statuses (account_id, id);
CREATE INDEX statuses_in_reply_to ON statuses (in_reply_to_id) WHERE in_reply_to_id IS NOT NULL;
CREATE UNIQUE INDEX statuses_one_reblog ON statuses (reblog_of_id, account_id) WHERE reblog_of_id IS NOT NULL;
-- The public timeline: public originals that are not replies to someone else.
CREATE INDEX statuses_public ON statuses (local, id)
  WHERE visibility = 'public' AND reblog_of_id IS NULL
    AND (in_reply_to_account_id IS NULL OR in_reply_to_account_id = account_id);

CREATE VIRTUAL TABLE statuses_fts USING fts5 (body, content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2');

CREATE TABLE mentions (
  status_id INTEGER NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  PRIMARY KEY (status_id, account_id)
);
CREATE INDEX mentions_account ON mentions (account_id, status_id);

CREATE TABLE tags (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX tags_name ON tags (lower(name));

CREATE TABLE status_tags (
  tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  status_id INTEGER NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
  PRIMARY KEY (tag_id, status_id)
);
CREATE INDEX status_tags_status ON status_tags (status_id);

CREATE TABLE status_pins (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  status_id INTEGER NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
  created_at TIMESTAMP NOT NULL,
  UNIQUE (account_id, status_id)
);

CREATE TABLE follows (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  target_account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  show_reblogs BOOLEAN NOT NULL DEFAULT TRUE,
  notify BOOLEAN NOT NULL DEFAULT FALSE,
  languages TEXT NULL,
  uri TEXT NOT NULL DEFAULT '',
  created_at TIMESTAMP NOT NULL,
  UNIQUE (account_id, target_account_id)
);
CREATE INDEX follows_target ON follows (target_account_id, account_id);

CREATE TABLE follow_requests (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  target_account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  show_reblogs BOOLEAN NOT NULL DEFAULT TRUE,
  notify BOOLEAN NOT NULL DEFAULT FALSE,
  languages TEXT NULL,
  uri TEXT NOT NULL DEFAULT '',
  created_at TIMESTAMP NOT NULL,
  UNIQUE (account_id, target_account_id)
);
CREATE INDEX follow_requests_target ON follow_requests (target_account_id, id);

CREATE TABLE favourites (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  status_id INTEGER NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
  created_at TIMESTAMP NOT NULL,
  UNIQUE (account_id, status_id)
);
CREATE INDEX favourites_status ON favourites (status_id, id);
CREATE INDEX favourites_account ON favourites (account_id, id);

CREATE TABLE bookmarks (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  status_id INTEGER NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
  created_at TIMESTAMP NOT NULL,
  UNIQUE (account_id, status_id)
);
CREATE INDEX bookmarks_account ON bookmarks (account_id, id);

CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  from_account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  status_id INTEGER NULL REFERENCES statuses (id) ON DELETE CASCADE,
  created_at TIMESTAMP NOT NULL
);
CREATE INDEX notifications_account ON notifications (account_id, id);
CREATE INDEX notifications_status ON notifications (status_id) WHERE status_id IS NOT NULL;

-- Home timelines, fanned out on write and capped per account (see docs/decisions.md).
CREATE TABLE home_feeds (
  account_id INTEGER NOT NULL,
  status_id INTEGER NOT NULL,
  PRIMARY KEY (account_id, status_id)
) WITHOUT ROWID;
CREATE INDEX home_feeds_status ON home_feeds (status_id);

CREATE TABLE idempotency_keys (
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  status_id INTEGER NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
  created_at TIMESTAMP NOT NULL,
  PRIMARY KEY (account_id, key)
);
