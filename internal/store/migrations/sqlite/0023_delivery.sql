-- Delivery to other servers (issue 6): each destination host's health and circuit breaker,
-- and the deliveries waiting for it. Times are Unix milliseconds.
CREATE TABLE delivery_hosts (
  host TEXT PRIMARY KEY, -- a URL's authority: name, and port when not the scheme's default
  breaker TEXT NOT NULL DEFAULT 'closed', -- closed, open, half_open
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  cool_offs INTEGER NOT NULL DEFAULT 0, -- times the breaker opened in the current failure streak
  retry_at BIGINT NOT NULL DEFAULT 0, -- an open breaker lets one probe through from then on
  failing_since BIGINT NOT NULL DEFAULT 0, -- first failure of the current streak; 0 when healthy
  last_success_at BIGINT NOT NULL DEFAULT 0,
  last_failure_at BIGINT NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  successes BIGINT NOT NULL DEFAULT 0,
  failures BIGINT NOT NULL DEFAULT 0,
  gave_up BIGINT NOT NULL DEFAULT 0, -- deliveries dropped: refused (4xx), expired or the host unavailable
  skipped BIGINT NOT NULL DEFAULT 0, -- deliveries never queued because the host was unavailable or suspended
  latencies TEXT NOT NULL DEFAULT '', -- the latest successful attempts' durations (ms), comma-separated, newest last
  unavailable BOOLEAN NOT NULL DEFAULT FALSE,
  suspended BOOLEAN NOT NULL DEFAULT FALSE
);

-- One row per (activity, inbox): the unique key makes a repeated fan-out a no-op.
CREATE TABLE deliveries (
  id BIGINT PRIMARY KEY,
  host TEXT NOT NULL,
  activity_id TEXT NOT NULL,
  inbox TEXT NOT NULL,
  body BLOB NOT NULL,
  signer_account_id BIGINT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at BIGINT NOT NULL, -- ready from then on; a claim pushes it past the attempt's lease
  created_at BIGINT NOT NULL,
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX deliveries_activity_inbox ON deliveries (activity_id, inbox);
CREATE INDEX deliveries_host_ready ON deliveries (host, next_at);
CREATE INDEX deliveries_created ON deliveries (created_at);

-- Outcomes per minute for the admin page's chart; worker processes add to them.
CREATE TABLE delivery_samples (
  minute BIGINT PRIMARY KEY, -- Unix seconds of the minute's start
  delivered BIGINT NOT NULL DEFAULT 0,
  failed BIGINT NOT NULL DEFAULT 0,
  gave_up BIGINT NOT NULL DEFAULT 0,
  backlog BIGINT NOT NULL DEFAULT 0
);
