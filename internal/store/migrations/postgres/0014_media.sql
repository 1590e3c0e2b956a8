-- Uploaded media. Objects live in the blob store under keys tusk chose (file_key,
-- preview_key, thumbnail_key); upload_key holds a video or audio upload while the queue
-- processes it. A status's deletion leaves its media unattached (for delete and
-- redraft); the cleanup job removes media left unattached for a day.
CREATE TABLE media_attachments (
  id BIGINT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  status_id BIGINT REFERENCES statuses (id) ON DELETE SET NULL,
  position INTEGER NOT NULL DEFAULT 0,
  type TEXT NOT NULL,
  content_type TEXT NOT NULL DEFAULT '',
  file_key TEXT NOT NULL DEFAULT '',
  file_size BIGINT NOT NULL DEFAULT 0,
  preview_key TEXT NOT NULL DEFAULT '',
  thumbnail_key TEXT NOT NULL DEFAULT '',
  upload_key TEXT NOT NULL DEFAULT '',
  upload_type TEXT NOT NULL DEFAULT '',
  remote_url TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  blurhash TEXT NOT NULL DEFAULT '',
  meta TEXT NOT NULL DEFAULT '{}',
  state TEXT NOT NULL DEFAULT 'ready',
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX media_attachments_status ON media_attachments (status_id, position);
CREATE INDEX media_attachments_account ON media_attachments (account_id, id);
CREATE INDEX media_attachments_unattached ON media_attachments (updated_at) WHERE status_id IS NULL;

-- The media of each version of an edited status, as space-separated attachment ids.
ALTER TABLE status_edits ADD COLUMN media_ids TEXT NOT NULL DEFAULT '';

-- Local avatars and headers: blob keys of the processed images.
ALTER TABLE accounts ADD COLUMN avatar_file_key TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN header_file_key TEXT NOT NULL DEFAULT '';
