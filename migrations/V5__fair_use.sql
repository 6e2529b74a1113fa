-- Fair use. Every accepted upload is logged here, so the hourly upload limit counts what was uploaded,
-- not what is still kept: deleting tasks does not buy more uploads. Rows older than the window are
-- pruned by the next upload of the same account.
create table upload_log (
    user_id     uuid        not null references users (id) on delete cascade,
    uploaded_at timestamptz not null
);
create index upload_log_user_idx on upload_log (user_id, uploaded_at);
-- An account's unfinished tasks, counted at every upload and retry (the active-task limit) and by the
-- workers before each start (a user whose conversion runs yields to users who wait with none running).
create index tasks_user_active_idx on tasks (user_id, status) where status in ('uploaded', 'processing');
