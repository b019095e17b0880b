package dev.afk.controlplane.agents.channels;

import dev.afk.controlplane.agents.queue.QueueItem;
import dev.afk.controlplane.agents.queue.RaiseHook;
import dev.afk.controlplane.notify.Doorbell.Kind;
import dev.afk.controlplane.notify.Doorbell.Ring;
import dev.afk.controlplane.notify.Doorbell.Route;
import dev.afk.controlplane.notify.DoorbellOutbox;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.jboss.logging.Logger;

/**
 * Rings an agent's own channels for each pending item it raises, through the doorbell's outbox
 * (one delivery per binding, at least once, never holding up the raise). The ring is recorded
 * after the item; should a crash fall between the two, the sweep rings it. It is always the
 * outbox itself: an agent's bindings are rows it joins, not something another doorbell could send.
 */
@ApplicationScoped
public class QueueBell implements RaiseHook {

    private static final Logger LOG = Logger.getLogger(QueueBell.class);
    private static final int MAX_MESSAGE = 3000;
    private static final int SWEEP_BATCH = 100;

    private final DoorbellOutbox doorbell;
    private final ChannelsConfig config;
    private final Pool pool;

    QueueBell(DoorbellOutbox doorbell, ChannelsConfig config, Pool pool) {
        this.doorbell = doorbell;
        this.config = config;
        this.pool = pool;
    }

    static String dedupKey(UUID item) {
        return "queue:" + item;
    }

    @Override
    public Uni<Void> raised(QueueItem item) {
        return ring(item.id(), item.agent(), item.kind(), item.addressee(), item.text());
    }

    private Uni<Void> ring(UUID id, String agent, String kind, String addressee, String text) {
        // The id before the addressee: Slack cuts a header at 150 characters, and an e-mail may be long.
        String title = capitalized(kind) + " from agent " + agent + " (item " + id + "), for " + addressee(addressee);
        String message = text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE - 1) + "…";
        return doorbell.ring(new Ring(dedupKey(id), Kind.NEEDS_HUMAN, null, 0, null, title, message, answerLink(), agent),
                Route.AGENT_ONLY);
    }

    /** Where to answer: the Swagger UI's answer operation (the item's id is in the title). */
    private URI answerLink() {
        return config.publicUrl().map(base -> URI.create(base.toString().replaceAll("/+$", "")
                + "/q/swagger-ui/#/Operator%20queue/post_api_queue__id__answer")).orElse(null);
    }

    /** Pending items with no ring: their raise stopped between the item and its ring. */
    @Scheduled(every = "${afk.agents.channels.sweep-every:1m}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return pool.preparedQuery("""
                        select i.id, a.name, i.kind, i.addressee, i.text
                        from operator_queue_item i join agent a on a.id = i.agent_id
                        where i.state = 'pending'
                          and not exists (select 1 from doorbell_ring r where r.dedup_key = 'queue:' || i.id::text)
                        order by i.raised_at
                        limit $1""")
                .execute(Tuple.of(SWEEP_BATCH))
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(StreamSupport.stream(rows.spliterator(), false).toList()))
                .onItem().transformToUniAndConcatenate(row -> ring(row.getUUID("id"), row.getString("name"), row.getString("kind"),
                        row.getString("addressee"), row.getString("text")))
                .collect().last().replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("Ringing lost queue items failed: %s", e.getClass().getSimpleName()))
                .onFailure().recoverWithNull();
    }

    private static String addressee(String addressee) {
        if (addressee.startsWith("person:")) {
            return addressee.substring("person:".length());
        }
        if (addressee.startsWith("role:")) {
            return "the " + addressee.substring("role:".length()) + "s";
        }
        return "its owner";
    }

    private static String capitalized(String kind) {
        return kind.isEmpty() ? kind : Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
    }
}
