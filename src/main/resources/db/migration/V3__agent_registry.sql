-- Agent registry. Existence lives here; container state lives in the container engine.
create table agent (
    id                 bigint generated always as identity primary key,
    -- Unique across soft-deleted rows too: a deleted agent keeps its name reserved.
    name               text        not null unique check (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    owner              text        not null,
    runtime_kind       text        not null default 'container' check (runtime_kind in ('container', 'native')),
    -- The in-container CLI (claude-code, gemini-cli, codex); container agents only.
    harness            text,
    node_type          text,
    node_config        jsonb,
    tags               text[]      not null default '{}',
    -- What an operator last asked for, so a missing or crashed container is known to be wanted.
    desired_state      text        not null default 'stopped' check (desired_state in ('running', 'stopped')),
    max_parallel_tasks integer     not null default 3 check (max_parallel_tasks between 1 and 100),
    created_at         timestamptz not null,
    updated_at         timestamptz not null,
    deleted_at         timestamptz,
    check ((runtime_kind = 'native') = (node_type is not null)),
    check (runtime_kind = 'container' or harness is null)
);

create table agent_share (
    id         bigint generated always as identity primary key,
    agent_id   bigint      not null references agent (id),
    email      text        not null check (email = lower(email)),
    shared_by  text        not null,
    shared_at  timestamptz not null,
    unique (agent_id, email)
);

create table agent_task (
    id           uuid        primary key,
    agent_id     bigint      not null references agent (id),
    status       text        not null check (status in ('queued', 'running', 'success', 'failed', 'cancelled')),
    trigger      text        not null,
    requested_by text        not null,
    message      text        not null,
    result       text,
    error_code   text,
    error        text,
    -- A router records the task it forwarded to; the forwarded task points back at it.
    routed_to    text,
    parent_id    uuid        references agent_task (id),
    queued_at    timestamptz not null,
    started_at   timestamptz,
    finished_at  timestamptz
);

create index agent_task_by_agent on agent_task (agent_id, queued_at desc);
create index agent_task_active on agent_task (agent_id) where status in ('queued', 'running');
