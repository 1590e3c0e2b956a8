-- Relationships beyond following: blocks, mutes, private notes, endorsements (Mastodon's
-- account pins) and the domains a member blocks. Each pair of accounts has at most one row
-- per table; the (account_id, target_account_id) unique index is the lookup the visibility
-- rule uses for every status it screens.
CREATE TABLE blocks (
  id BIGINT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  uri TEXT NOT NULL DEFAULT '',
  created_at TIMESTAMPTZ NOT NULL,
  UNIQUE (account_id, target_account_id)
);
CREATE INDEX blocks_target ON blocks (target_account_id, account_id);

-- expires_at NULL mutes forever; an expired mute stops applying at once (the rule checks
-- the time) and the periodic clean-up deletes it.
CREATE TABLE mutes (
  id BIGINT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  hide_notifications BOOLEAN NOT NULL DEFAULT TRUE,
  expires_at TIMESTAMPTZ NULL,
  created_at TIMESTAMPTZ NOT NULL,
  UNIQUE (account_id, target_account_id)
);
CREATE INDEX mutes_expires ON mutes (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE account_notes (
  id BIGINT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  comment TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  UNIQUE (account_id, target_account_id)
);

CREATE TABLE account_pins (
  id BIGINT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at TIMESTAMPTZ NOT NULL,
  UNIQUE (account_id, target_account_id)
);

CREATE TABLE account_domain_blocks (
  id BIGINT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  domain TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  UNIQUE (account_id, domain)
);
