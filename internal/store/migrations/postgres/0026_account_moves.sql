-- The account an account moved to (Mastodon's moved_to_account_id): set when a local
-- account moves, or when a remote account's Move is accepted. The client API shows it as
-- the account's "moved"; a moved account cannot be followed.
ALTER TABLE accounts ADD COLUMN moved_to_account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL;
