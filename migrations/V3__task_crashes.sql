-- Poison pills: a worker that starts a task opens an attempt and closes it however the attempt
-- ends, as long as it lives. An attempt found open at the next start died with its worker (killed,
-- out of memory): a crash. A task that crashed its converter twice is failed instead of being
-- handed to one worker after another.
alter table tasks add column crashes smallint not null default 0;
alter table tasks add column attempt_open boolean not null default false;
