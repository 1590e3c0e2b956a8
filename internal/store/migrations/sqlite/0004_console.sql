-- Admin web sign-in sessions: the cookie holds a random id, the table its SHA-256.
CREATE TABLE web_sessions (
  id_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at TIMESTAMP NOT NULL,
  last_seen_at TIMESTAMP NOT NULL,
  expires_at TIMESTAMP NOT NULL,
  user_agent TEXT NOT NULL DEFAULT '',
  ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);
CREATE INDEX web_sessions_expires ON web_sessions (expires_at);

-- One row per queue per minute for the console's 24-hour chart; minute is Unix seconds.
CREATE TABLE queue_samples (
  queue TEXT NOT NULL,
  minute BIGINT NOT NULL,
  depth BIGINT NOT NULL,
  running BIGINT NOT NULL,
  completed BIGINT NOT NULL,
  failed BIGINT NOT NULL,
  PRIMARY KEY (queue, minute)
);
CREATE INDEX queue_samples_minute ON queue_samples (minute);
