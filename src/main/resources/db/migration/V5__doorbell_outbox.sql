-- The doorbell's outbox: a ring is recorded once (its dedup key), then delivered at least once to
-- each channel enabled for its repository, each channel on its own schedule.
create table doorbell_ring (
    dedup_key  text        primary key,
    kind       text        not null check (kind in ('DONE', 'NEEDS_HUMAN', 'FROZEN')),
    repo       text        not null,
    issue      integer     not null,
    run_id     text,
    title      text        not null,
    message    text        not null,
    link       text,
    rung_at    timestamptz not null
);

create index doorbell_ring_by_run on doorbell_ring (run_id);

create table doorbell_delivery (
    id              bigint      generated always as identity primary key,
    dedup_key       text        not null references doorbell_ring (dedup_key),
    channel         text        not null,
    -- The repository's override of where this channel sends (an ntfy topic, a Slack webhook file);
    -- null means the install's.
    destination     text,
    state           text        not null default 'PENDING' check (state in ('PENDING', 'DELIVERED', 'FAILED')),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null,
    last_error      text,
    delivered_at    timestamptz,
    unique (dedup_key, channel)
);

create index doorbell_delivery_due on doorbell_delivery (next_attempt_at) where state = 'PENDING';
