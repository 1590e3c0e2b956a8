-- Imported rows naming remote accounts or statuses this server does not know yet: kept
-- for federation to resolve, instead of being dropped or faked. data is the rest of the
-- CSV row (follow options, list name) as JSON.
CREATE TABLE pending_imports (
  id BIGINT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  target TEXT NOT NULL,
  data TEXT NOT NULL DEFAULT '{}',
  created_at TIMESTAMPTZ NOT NULL,
  UNIQUE (account_id, kind, target)
);

-- The profile settings of Mastodon's Profile entity that the accounts table lacks.
CREATE TABLE profile_settings (
  account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  avatar_description TEXT NOT NULL DEFAULT '',
  header_description TEXT NOT NULL DEFAULT '',
  show_media BOOLEAN NOT NULL DEFAULT TRUE,
  show_media_replies BOOLEAN NOT NULL DEFAULT TRUE,
  show_featured BOOLEAN NOT NULL DEFAULT TRUE,
  attribution_domains TEXT NOT NULL DEFAULT ''
);

-- Server-wide secrets generated once (the VAPID key pair of Web Push).
CREATE TABLE server_keys (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);

-- Web Push subscriptions: at most one per access token, gone with it.
CREATE TABLE web_push_subscriptions (
  id BIGINT PRIMARY KEY,
  token_id BIGINT NOT NULL UNIQUE REFERENCES tokens (id) ON DELETE CASCADE,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  endpoint TEXT NOT NULL,
  key_p256dh TEXT NOT NULL,
  key_auth TEXT NOT NULL,
  alerts TEXT NOT NULL DEFAULT '{}',
  policy TEXT NOT NULL DEFAULT 'all',
  standard BOOLEAN NOT NULL DEFAULT FALSE,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX web_push_subscriptions_user ON web_push_subscriptions (user_id);
