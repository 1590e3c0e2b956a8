-- The counts a remote poll's server announces (Question: each option's replies.totalItems
-- and votersCount). Votes on a remote poll are cast and counted there, so these are the
-- figures to show; local votes cast after updated_at are added until the next Update.
CREATE TABLE remote_poll_counts (
  poll_id INTEGER PRIMARY KEY REFERENCES polls (id) ON DELETE CASCADE,
  votes TEXT NOT NULL, -- JSON array of the vote count of each option, in order
  voters_count INTEGER NOT NULL DEFAULT 0,
  updated_at TIMESTAMP NOT NULL
);
