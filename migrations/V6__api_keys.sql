-- API keys: long-lived credentials for scripts, sent as "Authorization: Bearer cct_...". Only the
-- SHA-256 (hex) of a key is kept: a key is 256 random bits, so its hash cannot be reversed by guessing,
-- and a fast hash lets every request find its key by one index lookup. The prefix (the key's first
-- characters) lets the owner tell keys apart. last_used_at is written at most once a minute per key.
create table api_keys (
    id           uuid primary key,
    user_id      uuid         not null references users (id) on delete cascade,
    name         varchar(100) not null,
    prefix       varchar(16)  not null,
    key_hash     char(64)     not null,
    created_at   timestamptz  not null,
    last_used_at timestamptz,
    expires_at   timestamptz
);
create unique index api_keys_hash_key on api_keys (key_hash);
create index api_keys_user_idx on api_keys (user_id, created_at);

-- Login tokens carry the version they were issued under; changing the password moves it on, so
-- every token issued before is refused. API keys do not depend on it.
alter table users add column token_version integer not null default 0;
