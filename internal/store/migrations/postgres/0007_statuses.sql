-- Status editing, polls, conversation mutes and scheduled statuses.

-- Earlier versions of edited statuses; the first row of a status is its original.
CREATE TABLE status_edits (
  id BIGINT PRIMARY KEY,
  status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  text TEXT NOT NULL DEFAULT '',
  content TEXT NOT NULL DEFAULT '',
  spoiler_text TEXT NOT NULL DEFAULT '',
  sensitive BOOLEAN NOT NULL DEFAULT FALSE,
  poll_options TEXT NULL, -- JSON array of the option titles, when the version had a poll
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX status_edits_status ON status_edits (status_id, id);

CREATE TABLE polls (
  id BIGINT PRIMARY KEY,
  status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  options TEXT NOT NULL, -- JSON array of the option titles
  multiple BOOLEAN NOT NULL DEFAULT FALSE,
  hide_totals BOOLEAN NOT NULL DEFAULT FALSE,
  expires_at TIMESTAMPTZ NULL,
  closed_at TIMESTAMPTZ NULL, -- when the end was announced to voters
  created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX polls_status ON polls (status_id);

CREATE TABLE poll_votes (
  id BIGINT PRIMARY KEY,
  poll_id BIGINT NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  choice INTEGER NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  UNIQUE (poll_id, account_id, choice)
);
CREATE INDEX poll_votes_account ON poll_votes (account_id, poll_id);

-- A muted conversation is named by its thread's root status.
CREATE TABLE conversation_mutes (
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (account_id, status_id)
);

CREATE TABLE scheduled_statuses (
  id BIGINT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  scheduled_at TIMESTAMPTZ NOT NULL,
  params TEXT NOT NULL, -- JSON of the status to post
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX scheduled_statuses_account ON scheduled_statuses (account_id, id);

CREATE INDEX status_pins_account ON status_pins (account_id, id);

-- Quote posts: a status quoting another, with the state of the quoted author's consent.
CREATE TABLE quotes (
  id BIGINT PRIMARY KEY,
  status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  quoted_status_id BIGINT NULL REFERENCES statuses (id) ON DELETE SET NULL,
  quoted_account_id BIGINT NULL REFERENCES accounts (id) ON DELETE SET NULL,
  state TEXT NOT NULL, -- pending, accepted, rejected, revoked
  created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX quotes_status ON quotes (status_id);
CREATE INDEX quotes_quoted ON quotes (quoted_status_id, id);

-- Who may quote a status, when its author chose; absent, public and unlisted statuses
-- may be quoted by anyone and others by nobody but their author.
CREATE TABLE status_quote_policies (
  status_id BIGINT PRIMARY KEY REFERENCES statuses (id) ON DELETE CASCADE,
  policy TEXT NOT NULL -- public, followers or nobody
);
