-- Federation: how each account is reached over ActivityPub. For a remote account, what its
-- actor document said when last fetched; for a local one, its key pair (made on first need).
-- Kept apart from accounts so the timeline queries do not read these wide rows.
CREATE TABLE actors (
  account_id INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  actor_type TEXT NOT NULL DEFAULT 'Person',
  inbox_url TEXT NOT NULL DEFAULT '',
  shared_inbox_url TEXT NOT NULL DEFAULT '',
  outbox_url TEXT NOT NULL DEFAULT '',
  followers_url TEXT NOT NULL DEFAULT '',
  following_url TEXT NOT NULL DEFAULT '',
  featured_url TEXT NOT NULL DEFAULT '',
  featured_tags_url TEXT NOT NULL DEFAULT '',
  public_key_id TEXT NOT NULL DEFAULT '',
  public_key_pem TEXT NOT NULL DEFAULT '',
  private_key_pem TEXT NOT NULL DEFAULT '',
  also_known_as TEXT NOT NULL DEFAULT '[]',
  moved_to_uri TEXT NOT NULL DEFAULT '',
  indexable BOOLEAN NOT NULL DEFAULT FALSE,
  fetched_at TIMESTAMP NULL,
  updated_at TIMESTAMP NOT NULL
);
CREATE INDEX actors_key ON actors (public_key_id) WHERE public_key_id <> '';
CREATE INDEX actors_shared_inbox ON actors (shared_inbox_url) WHERE shared_inbox_url <> '';

-- A remote account is known by its actor id; local ones have uri = '' until rendered.
CREATE UNIQUE INDEX accounts_uri ON accounts (uri) WHERE uri <> '';
