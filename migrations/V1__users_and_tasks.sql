-- Accounts. Names and emails are unique without regard to case, so "Alice" cannot shadow "alice".
create table users (
    id            uuid primary key,
    username      varchar(50)  not null,
    email         varchar(254) not null,
    password_hash varchar(200) not null,
    notify_owner  boolean      not null default true,
    created_at    timestamptz  not null
);
create unique index users_username_key on users (lower(username));
create unique index users_email_key on users (lower(email));

-- One row per upload. The JobRunr job that converts it has the same id.
create table tasks (
    id                   uuid primary key,
    user_id              uuid          not null references users (id) on delete cascade,
    file_name            varchar(255)  not null,
    original_format      varchar(16)   not null,
    new_format           varchar(16)   not null,
    quality              varchar(8),
    status               varchar(16)   not null,
    progress             smallint      not null default 0,
    size_bytes           bigint        not null,
    processed_size_bytes bigint,
    original_file        varchar(80)   not null unique,
    processed_file       varchar(80)   not null unique,
    error                varchar(1000),
    notify_owner  boolean       not null default true,
    idempotency_key      varchar(200),
    created_at           timestamptz   not null,
    started_at           timestamptz,
    finished_at          timestamptz,
    constraint tasks_status_check check (status in ('uploaded', 'processing', 'processed', 'failed', 'cancelled')),
    constraint tasks_progress_check check (progress between 0 and 100)
);
create index tasks_user_created_idx on tasks (user_id, created_at, id);
create index tasks_status_idx on tasks (status) where status in ('uploaded', 'processing');
-- A client that retries an upload with the same key gets the same task back.
create unique index tasks_idempotency_key on tasks (user_id, idempotency_key) where idempotency_key is not null;
