-- Resumable (tus 1.0) uploads in progress. The id is the id of the task the upload becomes once its
-- last byte arrives; the row is deleted then (or on termination, or by the expiry sweep). The bytes
-- live in the task folder under a temporary name; upload_offset is the truth about how many of them
-- count (a PATCH cut by a crash may have written more: the next PATCH truncates to it). A PATCH holds
-- the row's lock (select ... for update nowait) while it writes, so two PATCHes never interleave.
create table tus_uploads (
    id            uuid        primary key,
    user_id       uuid        not null references users (id) on delete cascade,
    upload_length bigint      not null check (upload_length > 0),
    upload_offset bigint      not null default 0 check (upload_offset >= 0 and upload_offset <= upload_length),
    metadata      text        not null,
    file_name     text        not null,
    new_format    text        not null,
    quality       text,
    notify        text,
    head_checked  boolean     not null default false,
    created_at    timestamptz not null,
    expires_at    timestamptz not null
);
create index tus_uploads_user_idx on tus_uploads (user_id);
create index tus_uploads_expiry_idx on tus_uploads (expires_at);
