-- Discovery: followed and featured hashtags, trends with their admin reviews, follow
-- suggestion dismissals and announcements.
CREATE TABLE tag_follows (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  created_at TIMESTAMP NOT NULL,
  UNIQUE (account_id, tag_id)
);
CREATE INDEX tag_follows_tag ON tag_follows (tag_id);

CREATE TABLE featured_tags (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  created_at TIMESTAMP NOT NULL,
  UNIQUE (account_id, tag_id)
);

-- trends holds the last computation's scores; kind is 'tag' or 'status' and target_id
-- the tag's or status's id.
CREATE TABLE trends (
  kind TEXT NOT NULL,
  target_id INTEGER NOT NULL,
  score REAL NOT NULL,
  computed_at TIMESTAMP NOT NULL,
  PRIMARY KEY (kind, target_id)
);
CREATE INDEX trends_score ON trends (kind, score);

-- trend_reviews is the admins' verdict on a tag or status: allowed or not to trend.
CREATE TABLE trend_reviews (
  kind TEXT NOT NULL,
  target_id INTEGER NOT NULL,
  allowed BOOLEAN NOT NULL,
  reviewed_at TIMESTAMP NOT NULL,
  PRIMARY KEY (kind, target_id)
);

CREATE TABLE suggestion_dismissals (
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  target_account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at TIMESTAMP NOT NULL,
  PRIMARY KEY (account_id, target_account_id)
);

CREATE TABLE announcements (
  id INTEGER PRIMARY KEY,
  text TEXT NOT NULL,
  starts_at TIMESTAMP NULL,
  ends_at TIMESTAMP NULL,
  all_day BOOLEAN NOT NULL DEFAULT FALSE,
  published_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL
);

CREATE TABLE announcement_reads (
  announcement_id INTEGER NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  PRIMARY KEY (announcement_id, account_id)
);

CREATE TABLE announcement_reactions (
  announcement_id INTEGER NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL,
  PRIMARY KEY (announcement_id, account_id, name)
);
