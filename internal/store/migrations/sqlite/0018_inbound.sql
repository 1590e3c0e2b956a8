-- Inbound federation. The ids of activities already taken in, so a delivery retried by
-- its sender (or sent to several inboxes of ours) is processed once; swept after a while.
CREATE TABLE inbox_activities (
  activity_id TEXT PRIMARY KEY,
  received_at TIMESTAMP NOT NULL
);
CREATE INDEX inbox_activities_received ON inbox_activities (received_at);

-- A server-level domain block may also refuse the domain's media (Mastodon's reject_media):
-- attachments and avatars from there are not fetched.
ALTER TABLE domain_blocks ADD COLUMN reject_media BOOLEAN NOT NULL DEFAULT FALSE;

