-- Home timelines are merged at read time from the followed accounts' statuses
-- (docs/decisions.md), so the fanned-out feeds are no longer kept.
DROP TABLE home_feeds;
