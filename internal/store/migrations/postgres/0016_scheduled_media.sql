-- Media a scheduled status will carry: reserved so that nothing else attaches them and the
-- cleanup of unattached media leaves them alone until the status is published or cancelled.
CREATE TABLE scheduled_status_media (
  media_id BIGINT PRIMARY KEY REFERENCES media_attachments (id) ON DELETE CASCADE,
  scheduled_status_id BIGINT NOT NULL REFERENCES scheduled_statuses (id) ON DELETE CASCADE,
  position INTEGER NOT NULL
);
CREATE INDEX scheduled_status_media_status ON scheduled_status_media (scheduled_status_id, position);
