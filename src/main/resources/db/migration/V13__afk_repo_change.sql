-- Enrollment changes (enroll, update, un-enroll): who, when, what. Never updated.
create table afk_repo_change (
    id          bigint generated always as identity primary key,
    repo        text        not null,
    action      text        not null,
    detail      text        not null,
    changed_by  text        not null,
    changed_at  timestamptz not null
);
create index afk_repo_change_by_repo on afk_repo_change (repo, id desc);

-- An un-enrolled repository keeps its finished runs on the record.
alter table afk_run drop constraint afk_run_repo_fkey;
