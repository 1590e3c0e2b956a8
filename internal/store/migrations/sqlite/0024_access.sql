-- Settings an admin changes at run time (tusk admin settings …) that override the
-- environment, such as the registrations mode. One row per setting.
CREATE TABLE instance_settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TIMESTAMP NOT NULL
);

-- Blocks of addresses or networks (CIDR, stored in canonical form). severity is
-- sign_up_requires_approval, sign_up_block or no_access; expires_at NULL never expires.
CREATE TABLE ip_blocks (
  id INTEGER PRIMARY KEY,
  ip TEXT NOT NULL UNIQUE,
  severity TEXT NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  expires_at TIMESTAMP NULL,
  created_at TIMESTAMP NOT NULL
);

-- E-mail domains no one may sign up with; a block covers the domain's subdomains too.
CREATE TABLE email_domain_blocks (
  id INTEGER PRIMARY KEY,
  domain TEXT NOT NULL UNIQUE,
  created_at TIMESTAMP NOT NULL
);
