-- Channels of one agent: its own Slack incoming webhook and ntfy topic, rung for its queue items and
-- its notices in addition to the install's doorbell. At most one binding per channel and agent.
create table agent_channel (
    id          bigint      generated always as identity primary key,
    agent_id    bigint      not null references agent (id),
    channel     text        not null check (channel in ('slack', 'ntfy')),
    -- slack: the incoming-webhook URL (a credential: the API shows it masked); ntfy: the topic.
    target      text        not null,
    -- ntfy only: a server of its own (one of the allowed ones); null: the install's server.
    server      text,
    created_by  text        not null,
    created_at  timestamptz not null,
    unique (agent_id, channel)
);

-- A ring may be about an agent rather than an issue (a queue item), and may name the agent whose
-- channels it also goes to.
alter table doorbell_ring alter column repo drop not null;
alter table doorbell_ring alter column issue drop not null;
alter table doorbell_ring add column agent text;

-- A delivery to an agent's binding names it; the binding's removal drops what it still owed.
alter table doorbell_delivery add column agent_channel_id bigint references agent_channel (id) on delete cascade;
alter table doorbell_delivery drop constraint doorbell_delivery_dedup_key_channel_key;
create unique index doorbell_delivery_install on doorbell_delivery (dedup_key, channel) where agent_channel_id is null;
create unique index doorbell_delivery_binding on doorbell_delivery (dedup_key, agent_channel_id) where agent_channel_id is not null;
