-- GitHub webhook deliveries already handled, by their X-GitHub-Delivery id, so a redelivery is
-- recognised. Rows expire after afk.github.webhook.delivery-retention.
create table webhook_delivery (
    delivery_id  text        primary key,
    event        text        not null,
    repo         text        not null,
    received_at  timestamptz not null
);

create index webhook_delivery_received_at on webhook_delivery (received_at);
