package dev.afk.controlplane.notify;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.StreamSupport;

/**
 * {@link Doorbell} as an outbox: a ring is one row plus one pending delivery per channel enabled
 * for its repository, written in one transaction. {@link DoorbellWorker} delivers them later, so a
 * channel that is down never holds up the caller.
 */
@ApplicationScoped
public class DoorbellOutbox implements Doorbell {

    private final Pool pool;
    private final Clock clock;
    private final List<DoorbellChannel> channels;

    DoorbellOutbox(Pool pool, Clock clock, Instance<DoorbellChannel> channels) {
        this.pool = pool;
        this.clock = clock;
        this.channels = channels.stream().toList();
    }

    @Override
    public Uni<Void> ring(Ring ring) {
        return ring(ring, Route.INSTALL);
    }

    @Override
    public Uni<Void> ring(Ring ring, Route route) {
        validate(ring);
        Route effective = Objects.requireNonNullElse(route, Route.INSTALL);
        OffsetDateTime now = OffsetDateTime.now(clock);
        return pool.withTransaction(connection -> connection.preparedQuery("""
                        insert into doorbell_ring (dedup_key, kind, repo, issue, run_id, title, message, link, rung_at, agent)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                        on conflict (dedup_key) do nothing
                        returning dedup_key""")
                .execute(Tuple.from(Arrays.asList(ring.dedupKey(), ring.kind().name(),
                        ring.repo() == null ? null : ring.repo().toString(), ring.repo() == null ? null : ring.issue(),
                        ring.runId(), ring.title(), Objects.requireNonNullElse(ring.message(), ""),
                        ring.link() == null ? null : ring.link().toString(), now, ring.agent())))
                .flatMap(inserted -> inserted.rowCount() == 0 ? Uni.createFrom().voidItem()
                        : scheduleDeliveries(connection, ring, effective, now)));
    }

    @Override
    public Uni<List<Delivery>> deliveries(String runId) {
        return pool.preparedQuery("""
                        select r.dedup_key, r.kind,
                               case when d.agent_channel_id is null then d.channel
                                    else d.channel || ' of agent ' || r.agent end as channel,
                               d.state, d.attempts, d.next_attempt_at, d.last_error, d.delivered_at
                        from doorbell_ring r join doorbell_delivery d on d.dedup_key = r.dedup_key
                        where r.run_id = $1
                        order by r.rung_at, d.id""")
                .execute(Tuple.of(runId))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(DoorbellOutbox::delivery).toList());
    }

    private Uni<Void> scheduleDeliveries(SqlConnection connection, Ring ring, Route route, OffsetDateTime now) {
        List<Tuple> deliveries = channels.stream().filter(channel -> channel.enabled(route))
                .map(channel -> Tuple.of(ring.dedupKey(), channel.name(), channel.destination(route).orElse(null), now))
                .toList();
        Uni<Void> install = deliveries.isEmpty() ? Uni.createFrom().voidItem()
                : connection.preparedQuery("""
                        insert into doorbell_delivery (dedup_key, channel, destination, next_attempt_at)
                        values ($1, $2, $3, $4)""")
                .executeBatch(deliveries)
                .replaceWithVoid();
        return ring.agent() == null ? install : install.chain(() -> scheduleBindings(connection, ring, now));
    }

    /** One delivery per binding of the ring's agent, to the channels this install has. */
    private Uni<Void> scheduleBindings(SqlConnection connection, Ring ring, OffsetDateTime now) {
        String[] installed = channels.stream().map(DoorbellChannel::name).toArray(String[]::new);
        return connection.preparedQuery("""
                        insert into doorbell_delivery (dedup_key, channel, agent_channel_id, next_attempt_at)
                        select $1, c.channel, c.id, $2
                        from agent_channel c join agent a on a.id = c.agent_id
                        where a.name = $3 and a.deleted_at is null and c.channel = any($4)
                        order by c.id""")
                .execute(Tuple.of(ring.dedupKey(), now, ring.agent(), installed))
                .replaceWithVoid();
    }

    private static void validate(Ring ring) {
        if (ring == null || ring.dedupKey() == null || ring.dedupKey().isBlank() || ring.kind() == null
                || (ring.repo() == null && ring.agent() == null) || ring.title() == null) {
            throw new IllegalArgumentException("a ring needs a dedup key, a kind, a repository or an agent, and a title");
        }
    }

    private static Delivery delivery(Row row) {
        return new Delivery(row.getString("dedup_key"), Kind.valueOf(row.getString("kind")), row.getString("channel"),
                DeliveryState.valueOf(row.getString("state")), row.getInteger("attempts"),
                row.getOffsetDateTime("next_attempt_at"), row.getString("last_error"), row.getOffsetDateTime("delivered_at"));
    }
}
