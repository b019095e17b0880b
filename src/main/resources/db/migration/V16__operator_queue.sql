-- Operator queue: what an agent asks a human, and the answer it is owed exactly once.
create table operator_queue_item (
    id           uuid        primary key,
    agent_id     bigint      not null references agent (id),
    -- Who raised it (t3, native, container) and that source's own id, so a re-read item is not raised twice.
    source       text        not null,
    source_ref   text        not null,
    kind         text        not null check (kind in ('question', 'approval', 'alert')),
    priority     text        not null check (priority in ('low', 'normal', 'high', 'urgent')),
    -- 'owner', 'person:<e-mail>' or 'role:<role>'.
    addressee    text        not null,
    text         text        not null,
    options      text[]      not null default '{}',
    state        text        not null check (state in ('pending', 'answered', 'dismissed', 'expired')),
    raised_at    timestamptz not null,
    expires_at   timestamptz not null,
    answer       text,
    answered_by  text,
    answered_at  timestamptz,
    -- none until answered; pending until a replica claims the relay (relaying); relayed once the agent has it;
    -- failed after the last attempt, or when a claim was left by a crash (the agent may or may not have it:
    -- it is never sent twice).
    relay_state  text        not null default 'none'
        check (relay_state in ('none', 'pending', 'relaying', 'relayed', 'failed')),
    relay_attempts integer   not null default 0,
    relay_claimed_at timestamptz,
    relayed_at   timestamptz,
    unique (agent_id, source, source_ref)
);

create index operator_queue_pending on operator_queue_item (agent_id) where state = 'pending';
create index operator_queue_by_agent on operator_queue_item (agent_id, raised_at desc);
create index operator_queue_relay on operator_queue_item (answered_at) where relay_state = 'pending';

-- Items an agent offered that were refused (malformed, too large, over a cap): recorded, never retried.
create table operator_queue_rejection (
    id          bigint      generated always as identity primary key,
    agent_id    bigint      not null references agent (id),
    source      text        not null,
    reason      text        not null,
    -- The first bytes of what was offered, for the operator; never parsed again.
    excerpt     text        not null,
    rejected_at timestamptz not null
);

create index operator_queue_rejection_by_agent on operator_queue_rejection (agent_id, rejected_at desc);
