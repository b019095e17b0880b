-- Whether an answer to one of the agent's queue items starts the agent when it is stopped. Off unless its owner turns it on.
alter table agent add column wake_on_answer boolean not null default false;
