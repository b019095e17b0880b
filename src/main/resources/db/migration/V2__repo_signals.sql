-- "Look at this repository soon": written by webhooks (and anything else that learns of a change),
-- drained by the pipeline's poller. One row per repository, so a burst of events is one poll.
create table repo_signal (
    repo         text        primary key,
    reason       text        not null,
    signalled_at timestamptz not null
);
