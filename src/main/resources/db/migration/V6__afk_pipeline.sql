-- AFK pipeline: enrolled repositories, runs with their effects and timeline.

create table afk_repo (
    repo              text        primary key,
    default_branch    text        not null,
    clone_url         text        not null,
    ready_label       text        not null,
    in_progress_label text        not null,
    human_label       text        not null,
    ci_stages         text[]      not null,
    required_checks   text[]      not null,
    deployments       jsonb       not null,
    image_template    text,
    executor_model    text        not null,
    caps              jsonb       not null,
    paused            boolean     not null default false,
    -- Set while a FROZEN run holds the repository; cleared only by an admin.
    frozen_by_run     uuid,
    frozen_at         timestamptz,
    -- Why the repository's .afk/workflow.md cannot be used (blocks its dispatch), or null.
    workflow_error    text,
    enrolled_by       text        not null,
    enrolled_at       timestamptz not null,
    updated_at        timestamptz not null
);

create table afk_run (
    id                   uuid        primary key,
    -- Creation order, for listing newest first without ties.
    seq                  bigint      generated always as identity,
    repo                 text        not null references afk_repo (repo),
    issue                integer     not null,
    title                text        not null,
    prompt               text        not null,
    -- Budgets and CI settings resolved at dispatch, fixed for the run's life.
    settings             jsonb       not null,
    labelled_by          text,
    labelled_at          timestamptz,
    created_at           timestamptz not null,
    retry_of             uuid references afk_run (id),
    state                text        not null,
    active               boolean     generated always as (state not in ('DONE', 'ESCALATED', 'FROZEN', 'CANCELLED')) stored,
    dispatched_at        timestamptz,
    attempt_started_at   timestamptz,
    commit_sha           text,
    ci_since             timestamptz,
    last_verdict         text,
    first_red_at         timestamptz,
    fix_forward_attempts integer     not null default 0,
    waiting_past_sha     text,
    fix_sent_at          timestamptz,
    pending_request      jsonb,
    turns                integer,
    cost_usd             double precision,
    last_progress_at     timestamptz,
    cancel_requested_by  text,
    outcome_reason       text,
    finished_at          timestamptz,
    -- Written by effects once the executor and the workspace accepted them.
    project_id           text,
    thread_id            text,
    worktree_path        text,
    branch               text,
    checklist_comment_id bigint,
    -- Which replica reconciles the run until when; another may take over after it lapses.
    lease_owner          text,
    lease_until          timestamptz,
    next_reconcile_at    timestamptz not null,
    -- Effects not yet performed: a finished run still needs its labels, comment and doorbell.
    effects_pending      boolean     not null default false,
    version              integer     not null default 0
);

-- Exactly once, whatever the number of replicas: serial within a repository, and never two open
-- runs for one issue. A run stays open until its last effect is done: a DONE run whose issue is
-- not closed yet must not let the same issue be dispatched again.
create unique index afk_run_one_open_per_repo on afk_run (repo) where active or effects_pending;
create unique index afk_run_one_open_per_issue on afk_run (repo, issue) where active or effects_pending;
create index afk_run_due on afk_run (next_reconcile_at) where active or effects_pending;
create index afk_run_by_repo_state on afk_run (repo, state, seq desc);

-- Effects of a transition, stored in the same transaction and performed in order.
create table afk_run_effect (
    run_id     uuid        not null references afk_run (id),
    seq        integer     not null,
    kind       text        not null,
    payload    jsonb       not null,
    created_at timestamptz not null,
    done_at    timestamptz,
    attempts   integer     not null default 0,
    last_error text,
    primary key (run_id, seq)
);
create index afk_run_effect_pending on afk_run_effect (run_id) where done_at is null;

-- The run's timeline: one row per transition or operator action, never updated.
create table afk_run_event (
    id         bigint generated always as identity primary key,
    run_id     uuid        not null references afk_run (id),
    at         timestamptz not null,
    from_state text,
    to_state   text        not null,
    detail     text        not null,
    actor      text        not null
);
create index afk_run_event_by_run on afk_run_event (run_id, id);
