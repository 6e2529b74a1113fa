-- Webhooks: an account's endpoints told when its tasks end. The secret signs each delivery
-- (HMAC-SHA256), so it is kept as it is: the worker needs it to sign.
create table webhooks (
    id         uuid primary key,
    user_id    uuid          not null references users (id) on delete cascade,
    url        varchar(2000) not null,
    events     varchar(100)  not null,
    secret     varchar(100)  not null,
    created_at timestamptz   not null
);
create index webhooks_user_idx on webhooks (user_id, created_at);

-- One row per attempt of a delivery (a delivery is one JobRunr job; its id is the Cct-Delivery header).
create table webhook_deliveries (
    id            uuid primary key,
    delivery_id   uuid         not null,
    webhook_id    uuid         not null references webhooks (id) on delete cascade,
    event         varchar(32)  not null,
    task_id       uuid         not null,
    attempt       integer      not null,
    attempted_at  timestamptz  not null,
    response_code integer,
    error         varchar(500)
);
create index webhook_deliveries_webhook_idx on webhook_deliveries (webhook_id, attempted_at desc);
create index webhook_deliveries_delivery_idx on webhook_deliveries (delivery_id);
