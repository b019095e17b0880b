package dev.afk.controlplane.agents.queue;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Queue items and rejections in PostgreSQL. Every state change is one guarded update, so none happens twice. */
class QueueStore {

    private static final String COLUMNS = """
            i.id, a.name as agent, i.source, i.source_ref, i.kind, i.priority, i.addressee, i.text, i.options, i.state,
            i.raised_at, i.expires_at, i.answer, i.answered_by, i.answered_at, i.relay_state""";

    private final Pool pool;

    QueueStore(Pool pool) {
        this.pool = pool;
    }

    /** The outcome of an insert: the item and whether it already existed, or the cap that refused it. */
    record Inserted(QueueItem item, boolean existed, String refusal) {}

    /**
     * Inserts the item unless the agent is over its caps, under a lock on the agent's row so that
     * concurrent raises cannot overshoot them. An item the source already raised is returned as it is.
     */
    Uni<Inserted> insert(long agentId, String source, ItemDraft draft, Instant now, Instant expiresAt, int maxPending,
            int maxPerHour) {
        UUID id = UUID.randomUUID();
        Tuple values = Tuple.tuple().addUUID(id).addLong(agentId).addString(source).addString(draft.sourceRef())
                .addString(draft.kind().wire()).addString(draft.priority().wire()).addString(draft.addressee())
                .addString(draft.text()).addArrayOfString(draft.options().toArray(String[]::new))
                .addOffsetDateTime(at(now)).addOffsetDateTime(at(expiresAt));
        return pool.withTransaction(conn -> conn.preparedQuery("select id from agent where id = $1 for update")
                .execute(Tuple.of(agentId))
                .flatMap(locked -> conn.preparedQuery("select " + COLUMNS + " from operator_queue_item i join agent a on a.id = i.agent_id "
                        + "where i.agent_id = $1 and i.source = $2 and i.source_ref = $3").execute(Tuple.of(agentId, source, draft.sourceRef())))
                .flatMap(existing -> {
                    if (existing.iterator().hasNext()) {
                        return Uni.createFrom().item(new Inserted(item(existing.iterator().next()), true, null));
                    }
                    return conn.preparedQuery("""
                            select count(*) filter (where state = 'pending') as pending,
                                   count(*) filter (where raised_at > $2::timestamptz - interval '1 hour') as recent
                            from operator_queue_item where agent_id = $1""").execute(Tuple.of(agentId, at(now)))
                            .flatMap(counts -> {
                                Row c = counts.iterator().next();
                                if (c.getLong("pending") >= maxPending) {
                                    return refused("the agent already has " + maxPending + " pending items");
                                }
                                if (c.getLong("recent") >= maxPerHour) {
                                    return refused("the agent raised " + maxPerHour + " items in the last hour");
                                }
                                return conn.preparedQuery("""
                                        insert into operator_queue_item (id, agent_id, source, source_ref, kind, priority,
                                            addressee, text, options, state, raised_at, expires_at)
                                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, $11)""").execute(values)
                                        .flatMap(ins -> find(conn, id))
                                        .map(found -> new Inserted(found.orElseThrow(), false, null));
                            });
                }));
    }

    private static Uni<Inserted> refused(String why) {
        return Uni.createFrom().item(new Inserted(null, false, why));
    }

    Uni<Void> reject(long agentId, String source, String reason, String excerpt, Instant now) {
        return pool.preparedQuery("""
                insert into operator_queue_rejection (agent_id, source, reason, excerpt, rejected_at)
                values ($1, $2, $3, $4, $5)""").execute(Tuple.of(agentId, source, reason, excerpt, at(now))).replaceWithVoid();
    }

    Uni<Long> rejections(long agentId) {
        return pool.preparedQuery("select count(*) as n from operator_queue_rejection where agent_id = $1")
                .execute(Tuple.of(agentId)).map(rows -> rows.iterator().next().getLong("n"));
    }

    Uni<Optional<QueueItem>> find(UUID id) {
        return find(pool, id);
    }

    private static Uni<Optional<QueueItem>> find(io.vertx.mutiny.sqlclient.SqlClient client, UUID id) {
        return client.preparedQuery("select " + COLUMNS + " from operator_queue_item i join agent a on a.id = i.agent_id "
                + "where i.id = $1 and a.deleted_at is null").execute(Tuple.of(id))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(item(rows.iterator().next())) : Optional.empty());
    }


    /** Items on agents the viewer may see: all for an admin, else owned or shared with their e-mail. */
    Uni<QueuePage> page(boolean admin, String name, String email, QueueFilter f) {
        Tuple args = Tuple.tuple().addBoolean(admin).addString(name).addString(email).addString(f.agent()).addString(f.kind())
                .addString(f.state()).addString(f.addressee()).addInteger(f.size()).addLong((long) f.page() * f.size());
        return pool.preparedQuery("select " + COLUMNS + ", count(*) over () as total from operator_queue_item i "
                + "join agent a on a.id = i.agent_id where a.deleted_at is null "
                + "and ($1 or a.owner = $2 or exists (select 1 from agent_share s where s.agent_id = a.id and s.email = $3)) "
                + "and ($4::text is null or a.name = $4) and ($5::text is null or i.kind = $5) "
                + "and ($6::text is null or i.state = $6) and ($7::text is null or i.addressee = $7) "
                + "order by i.raised_at desc, i.id limit $8 offset $9").execute(args).map(rows -> {
                    List<QueueItem> items = new ArrayList<>();
                    long total = 0;
                    for (Row row : rows) {
                        total = row.getLong("total");
                        items.add(item(row));
                    }
                    return new QueuePage(items, f.page(), f.size(), total);
                });
    }

    /** Pending → answered, once; the relay becomes owed. Empty when it was no longer pending. */
    Uni<Optional<QueueItem>> answer(UUID id, String answer, String by, Instant now) {
        return pool.preparedQuery("""
                update operator_queue_item set state = 'answered', answer = $2, answered_by = $3, answered_at = $4,
                    relay_state = 'pending'
                where id = $1 and state = 'pending' and expires_at > $4 returning id""")
                .execute(Tuple.of(id, answer, by, at(now))).flatMap(rows -> rows.rowCount() == 0
                        ? Uni.createFrom().item(Optional.<QueueItem>empty()) : find(id));
    }

    /**
     * Pending → answered for an item whose source took the answer by its own route: nothing is owed,
     * so the relay is recorded as done. False when it was not pending.
     */
    Uni<Boolean> answeredAtSource(long agentId, String source, String sourceRef, String answer, String by, Instant now) {
        return pool.preparedQuery("""
                update operator_queue_item set state = 'answered', answer = $4, answered_by = $5, answered_at = $6,
                    relay_state = 'relayed', relayed_at = $6
                where agent_id = $1 and source = $2 and source_ref = $3 and state = 'pending'""")
                .execute(Tuple.tuple().addLong(agentId).addString(source).addString(sourceRef).addString(answer)
                        .addString(by).addOffsetDateTime(at(now)))
                .map(rows -> rows.rowCount() == 1);
    }

    Uni<Optional<QueueItem>> dismiss(UUID id, String by, Instant now) {
        return pool.preparedQuery("""
                update operator_queue_item set state = 'dismissed', answered_by = $2, answered_at = $3
                where id = $1 and state = 'pending' returning id""")
                .execute(Tuple.of(id, by, at(now))).flatMap(rows -> rows.rowCount() == 0
                        ? Uni.createFrom().item(Optional.<QueueItem>empty()) : find(id));
    }

    /** Expires every pending item past its expiry; the number expired. */
    Uni<Integer> expire(Instant now) {
        return pool.preparedQuery("update operator_queue_item set state = 'expired' where state = 'pending' and expires_at <= $1")
                .execute(Tuple.of(at(now))).map(RowSet::rowCount);
    }

    /** Answered items whose relay is still owed, oldest first. */
    Uni<List<QueueItem>> owedRelays(int limit) {
        return pool.preparedQuery("select " + COLUMNS + " from operator_queue_item i join agent a on a.id = i.agent_id "
                + "where i.relay_state = 'pending' order by i.answered_at limit $1").execute(Tuple.of(limit))
                .map(rows -> {
                    List<QueueItem> items = new ArrayList<>();
                    rows.forEach(r -> items.add(item(r)));
                    return items;
                });
    }

    /** Claims an owed relay for this replica; false when another has it or it is no longer owed. */
    Uni<Boolean> claimRelay(UUID id, Instant now) {
        return pool.preparedQuery("update operator_queue_item set relay_state = 'relaying', relay_claimed_at = $2 "
                + "where id = $1 and relay_state = 'pending'").execute(Tuple.of(id, at(now))).map(rows -> rows.rowCount() == 1);
    }

    Uni<Void> relayed(UUID id, Instant now) {
        return pool.preparedQuery("update operator_queue_item set relay_state = 'relayed', relayed_at = $2, "
                + "relay_attempts = relay_attempts + 1 where id = $1 and relay_state = 'relaying'")
                .execute(Tuple.of(id, at(now))).replaceWithVoid();
    }

    /** Counts a failed attempt; after the last one the relay is given up as failed. True when given up. */
    Uni<Boolean> relayFailed(UUID id, int maxAttempts) {
        return pool.preparedQuery("update operator_queue_item set relay_attempts = relay_attempts + 1, "
                + "relay_state = case when relay_attempts + 1 >= $2 then 'failed' else 'pending' end "
                + "where id = $1 and relay_state = 'relaying' returning relay_state")
                .execute(Tuple.of(id, maxAttempts))
                .map(rows -> rows.iterator().hasNext() && "failed".equals(rows.iterator().next().getString("relay_state")));
    }

    /**
     * Claims a crashed replica left behind: the agent may already have the answer, so it is not sent
     * again but marked failed for an operator to look at. The number given up.
     */
    Uni<Integer> abandonStaleClaims(Instant before) {
        return pool.preparedQuery("update operator_queue_item set relay_state = 'failed' "
                + "where relay_state = 'relaying' and relay_claimed_at < $1").execute(Tuple.of(at(before))).map(RowSet::rowCount);
    }

    Uni<List<Row>> pendingByKind() {
        return pool.query("select kind, count(*) as n from operator_queue_item where state = 'pending' group by kind")
                .execute().map(rows -> {
                    List<Row> list = new ArrayList<>();
                    rows.forEach(list::add);
                    return list;
                });
    }

    private static QueueItem item(Row r) {
        return new QueueItem(r.getUUID("id"), r.getString("agent"), r.getString("source"), r.getString("source_ref"),
                r.getString("kind"), r.getString("priority"), r.getString("addressee"), r.getString("text"),
                Arrays.asList(r.getArrayOfStrings("options")), r.getString("state"), instant(r, "raised_at"),
                instant(r, "expires_at"), r.getString("answer"), r.getString("answered_by"), instant(r, "answered_at"),
                r.getString("relay_state"));
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime at(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
