-- What a trusted label released: the issue's title and body (SHA-256) as the pipeline first saw
-- them for that label event. Dispatch refuses the issue while its content differs; a new label
-- event by a user with write access releases the new content.
create table afk_release (
    repo           text        not null,
    issue          integer     not null,
    labelled_at    timestamptz not null,
    labelled_by    text        not null,
    -- Null: the issue had already changed after the label when it was first seen, so what was
    -- released is unknown and nothing of this label event is ever dispatched.
    content_sha256 text,
    pinned_at      timestamptz not null,
    -- Why dispatch refuses this release now (shown on the repository), or null.
    refused        text,
    primary key (repo, issue, labelled_at)
);

