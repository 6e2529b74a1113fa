-- Batches: one upload converted to several targets, and later conversions of an uploaded original
-- (POST /api/tasks/{id}/convert). Every task keeps its own original in its own folder (a hard link,
-- or a copy across file systems), so deleting one never breaks another.
-- original_of: the task whose upload stored these bytes (null for that task itself, and for every
-- task that is not shared). The storage quota counts the original bytes once per group
-- coalesce(original_of, id): as long as one task of the group is left, its bytes count once; when the
-- first task is deleted the others still name it, so the count does not change; with the last one
-- gone, nothing counts. No foreign key: the first task may be deleted while the others live on.
-- batch_id: the first task's id on every task created by one multi-target upload (the first's too),
-- so a replayed Idempotency-Key (kept on the first task) answers with the whole batch.
alter table tasks add column original_of uuid;
alter table tasks add column batch_id uuid;
create index tasks_batch_idx on tasks (batch_id) where batch_id is not null;
