-- Link preview cards, shared by every status that links the same URL. Trending links
-- live in the trends table (kind 'link', target_id the card's id).
CREATE TABLE preview_cards (
  id INTEGER PRIMARY KEY,
  url TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  type TEXT NOT NULL DEFAULT 'link',
  author_name TEXT NOT NULL DEFAULT '',
  author_url TEXT NOT NULL DEFAULT '',
  provider_name TEXT NOT NULL DEFAULT '',
  provider_url TEXT NOT NULL DEFAULT '',
  image_url TEXT NOT NULL DEFAULT '',
  image_description TEXT NOT NULL DEFAULT '',
  width INTEGER NOT NULL DEFAULT 0,
  height INTEGER NOT NULL DEFAULT 0,
  language TEXT NOT NULL DEFAULT '',
  published_at TIMESTAMP NULL,
  fetched_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX preview_cards_url ON preview_cards (url);

CREATE TABLE status_preview_cards (
  status_id INTEGER PRIMARY KEY REFERENCES statuses (id) ON DELETE CASCADE,
  preview_card_id INTEGER NOT NULL REFERENCES preview_cards (id) ON DELETE CASCADE
);
CREATE INDEX status_preview_cards_card ON status_preview_cards (preview_card_id, status_id);
