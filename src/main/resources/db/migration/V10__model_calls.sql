-- Native node types that ask a language model for judgment (triage, ci-diagnosis).

-- What a task's model calls cost, on the task record itself.
alter table agent_task
    add column model         text,
    add column input_tokens  bigint,
    add column output_tokens bigint,
    add column cost_usd      numeric(14, 6);

-- Every model call, reserved before it is made: the daily budgets (per agent and global) count
-- settled calls at what they cost and calls in flight at what they may cost at most, so two
-- calls at once cannot both spend the last of a budget.
create table model_call (
    id             uuid           primary key,
    agent          text           not null,
    node_type      text           not null,
    task_id        uuid,
    model          text           not null,
    day            date           not null,
    status         text           not null check (status in ('reserved', 'settled', 'failed')),
    tokens         bigint         not null,
    cost_usd       numeric(14, 6) not null,
    input_tokens   bigint,
    output_tokens  bigint,
    error_code     text,
    created_at     timestamptz    not null,
    finished_at    timestamptz
);

create index model_call_by_day on model_call (day, agent);

-- The one triage comment per issue, edited in place, and the issue version it answered.
create table triage_comment (
    repo             text        not null,
    issue            integer     not null,
    comment_id       bigint      not null,
    issue_updated_at timestamptz,
    triaged_at       timestamptz not null,
    primary key (repo, issue)
);
