-- Single-use secrets sent by mail (confirmation, password reset, e-mail change). The link
-- holds a random secret; the table keeps only its SHA-256. email is the address the
-- link was sent to: a confirmation or reset is honoured only while it still matters for
-- that address, and an e-mail change applies exactly the address that was confirmed.
CREATE TABLE user_tokens (
  id BIGINT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  used_at TIMESTAMPTZ NULL
);
CREATE INDEX user_tokens_user ON user_tokens (user_id, kind);
CREATE INDEX user_tokens_expires ON user_tokens (expires_at);
