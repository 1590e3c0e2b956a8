-- Which media backend a running tusk reads and writes ('local' or 's3'), and during a
-- move the one reads fall back to. One row; absent, the configuration decides.
CREATE TABLE media_storage (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  backend TEXT NOT NULL,
  fallback TEXT NOT NULL DEFAULT '',
  updated_at TIMESTAMPTZ NOT NULL
);

-- Remote media kept in the cache/ area of the media backend, for size- and age-based
-- eviction (least recently used first). An evicted file keeps its row (evicted_at set),
-- so a request for its key fetches it again from remote_url.
CREATE TABLE remote_media_cache (
  key TEXT PRIMARY KEY,
  remote_url TEXT NOT NULL,
  kind TEXT NOT NULL,
  size BIGINT NOT NULL,
  content_type TEXT NOT NULL,
  fetched_at TIMESTAMPTZ NOT NULL,
  last_access TIMESTAMPTZ NOT NULL,
  evicted_at TIMESTAMPTZ NULL
);
CREATE UNIQUE INDEX remote_media_cache_url ON remote_media_cache (remote_url);
CREATE INDEX remote_media_cache_access ON remote_media_cache (evicted_at, last_access);
