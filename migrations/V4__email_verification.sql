-- Mail goes only to addresses proven to belong to the account: a sign-up is mailed a link whose
-- token is kept here as its SHA-256 (hex), never in clear, and is good once until it expires.
-- Accounts made before verification existed keep receiving their mails: they are taken as verified.
alter table users add column email_verified boolean not null default false;
alter table users add column verification_hash char(64);
alter table users add column verification_expires_at timestamptz;
update users set email_verified = true;
create unique index users_verification_hash_key on users (verification_hash) where verification_hash is not null;
