-- The global kill switch: one row, engaged on a fresh install so nothing dispatches until an
-- operator arms the system.
create table kill_switch (
    id          smallint primary key check (id = 1),
    engaged     boolean     not null,
    reason      text        not null,
    changed_by  text        not null,
    changed_at  timestamptz not null
);

insert into kill_switch (id, engaged, reason, changed_by, changed_at)
values (1, true, 'fresh install: engaged until an operator arms it', 'system', now());

create table kill_switch_change (
    id          bigint generated always as identity primary key,
    engaged     boolean     not null,
    reason      text        not null,
    changed_by  text        not null,
    changed_at  timestamptz not null
);
