-- Instance information: rules, server-level domain blocks, custom emoji, reports and
-- the weekly login record behind /api/v1/instance/activity.
CREATE TABLE instance_rules (
  id INTEGER PRIMARY KEY,
  text TEXT NOT NULL,
  hint TEXT NOT NULL DEFAULT '',
  position INTEGER NOT NULL DEFAULT 0,
  created_at TIMESTAMP NOT NULL
);

-- Server-level blocks of whole domains (severity silence, suspend or noop). The public
-- comment is what visitors may see; the private comment is for the staff only.
CREATE TABLE domain_blocks (
  id INTEGER PRIMARY KEY,
  domain TEXT NOT NULL UNIQUE,
  severity TEXT NOT NULL,
  public_comment TEXT NOT NULL DEFAULT '',
  private_comment TEXT NOT NULL DEFAULT '',
  obfuscate BOOLEAN NOT NULL DEFAULT FALSE,
  created_at TIMESTAMP NOT NULL
);

-- Custom emoji. domain is '' for the instance's own; file is the image's name under
-- the data dir's emoji folder.
CREATE TABLE custom_emojis (
  id INTEGER PRIMARY KEY,
  shortcode TEXT NOT NULL,
  domain TEXT NOT NULL DEFAULT '',
  file TEXT NOT NULL,
  content_type TEXT NOT NULL,
  category TEXT NOT NULL DEFAULT '',
  visible_in_picker BOOLEAN NOT NULL DEFAULT TRUE,
  disabled BOOLEAN NOT NULL DEFAULT FALSE,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL,
  UNIQUE (shortcode, domain)
);

-- Reports filed by members for the moderators. status_ids and rule_ids are
-- space-separated ids, as few and as fixed as Mastodon's arrays.
CREATE TABLE reports (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  target_account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  status_ids TEXT NOT NULL DEFAULT '',
  rule_ids TEXT NOT NULL DEFAULT '',
  comment TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL,
  forwarded BOOLEAN NOT NULL DEFAULT FALSE,
  action_taken_at TIMESTAMP NULL,
  created_at TIMESTAMP NOT NULL
);
CREATE INDEX reports_target ON reports (target_account_id, id);
CREATE INDEX reports_open ON reports (id) WHERE action_taken_at IS NULL;

-- One row per user and week (the week's Monday, 00:00 UTC, as Unix seconds) in which
-- the user signed in or used a token.
CREATE TABLE login_weeks (
  week BIGINT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  PRIMARY KEY (week, user_id)
);
