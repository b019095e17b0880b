package dev.afk.controlplane.notify;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.notify.DeliveryAttempt.Delivered;
import dev.afk.controlplane.notify.DeliveryAttempt.Rejected;
import dev.afk.controlplane.notify.DeliveryAttempt.Retry;
import dev.afk.controlplane.notify.Doorbell.DeliveryState;
import dev.afk.controlplane.notify.Doorbell.Kind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.jboss.logging.Logger;

/**
 * Delivers the outbox at least once: claims due deliveries with {@code FOR UPDATE SKIP LOCKED}
 * (several replicas never send the same one at once), hides them for a lease while sending (a crash
 * mid-send retries after it), then records the outcome with back-off.
 */
@ApplicationScoped
public class DoorbellWorker {

    private static final Logger LOG = Logger.getLogger(DoorbellWorker.class);
    private static final int MAX_ERROR_LENGTH = 500;

    private final Pool pool;
    private final Clock clock;
    private final DoorbellConfig config;
    private final Map<String, DoorbellChannel> channels;
    private final MeterRegistry registry;

    DoorbellWorker(Pool pool, Clock clock, DoorbellConfig config, Instance<DoorbellChannel> channels, MeterRegistry registry) {
        this.pool = pool;
        this.clock = clock;
        this.config = config;
        this.channels = channels.stream().collect(Collectors.toMap(DoorbellChannel::name, Function.identity()));
        this.registry = registry;
    }

    @Scheduled(every = "${afk.doorbell.poll-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> deliverDue() {
        return claimDue()
                .onItem().transformToMulti(due -> Multi.createFrom().iterable(due))
                .onItem().transformToUniAndConcatenate(this::attempt)
                .collect().last()
                .replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("Doorbell delivery round failed: %s", e.getClass().getSimpleName()))
                .onFailure().recoverWithNull();
    }

    /** {@code binding}: present for a delivery to an agent's own binding. */
    private record Due(long id, String channel, Optional<String> destination, Optional<Binding> binding, int attempts,
            Notice notice) {}

    private Uni<List<Due>> claimDue() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return pool.preparedQuery("""
                        with due as (
                            select id, dedup_key, agent_channel_id from doorbell_delivery
                            where state = 'PENDING' and next_attempt_at <= $1
                            order by next_attempt_at
                            limit $2
                            for update skip locked)
                        update doorbell_delivery d set next_attempt_at = $3
                        from due join doorbell_ring r on r.dedup_key = due.dedup_key
                            left join agent_channel c on c.id = due.agent_channel_id
                        where d.id = due.id
                        returning d.id, d.channel, d.destination, d.attempts, d.agent_channel_id,
                                  c.target as binding_target, c.server as binding_server,
                                  r.kind, r.repo, r.issue, r.title, r.message, r.link, r.agent""")
                .execute(Tuple.of(now, config.batchSize(), now.plus(config.lease())))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(this::due).toList());
    }

    private Uni<Void> attempt(Due due) {
        DoorbellChannel channel = channels.get(due.channel());
        Uni<DeliveryAttempt> attempt = channel == null
                ? Uni.createFrom().item(new Rejected("channel " + due.channel() + " is not installed"))
                : due.binding().map(binding -> channel.deliver(due.notice(), binding))
                        .orElseGet(() -> channel.deliver(due.notice(), due.destination()))
                        // Only the exception's type: a message may quote a URL, and webhook URLs are secrets.
                        .onFailure().recoverWithItem(e -> new Retry(e.getClass().getSimpleName(), Optional.empty()));
        return attempt.flatMap(result -> record(due, result));
    }

    private Uni<Void> record(Due due, DeliveryAttempt result) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        int attempts = due.attempts() + 1;
        DeliveryState state;
        OffsetDateTime next = now;
        String error = null;
        switch (result) {
            case Delivered delivered -> state = DeliveryState.DELIVERED;
            case Rejected rejected -> {
                state = DeliveryState.FAILED;
                error = rejected.error();
            }
            case Retry retry -> {
                state = attempts >= config.maxAttempts() ? DeliveryState.FAILED : DeliveryState.PENDING;
                error = retry.error();
                Duration delay = Backoff.delay(attempts, config.backoffBase(), config.backoffMax(), retry.notBefore());
                next = now.plus(delay);
            }
        }
        String outcome = state == DeliveryState.PENDING ? "retry" : state.name().toLowerCase();
        Counter.builder("afk.doorbell.deliveries").description("Doorbell delivery attempts by channel and outcome")
                .tag("channel", due.channel()).tag("outcome", outcome).register(registry).increment();
        if (state == DeliveryState.FAILED) {
            LOG.warnf("Doorbell gave up delivering %s to %s after %d attempts: %s",
                    due.notice().issueRef(), due.channel(), attempts, error);
        }
        return pool.preparedQuery("""
                        update doorbell_delivery
                        set state = $2, attempts = $3, next_attempt_at = $4, last_error = $5, delivered_at = $6
                        where id = $1""")
                .execute(Tuple.from(Arrays.asList(due.id(), state.name(), attempts, next, truncate(error),
                        state == DeliveryState.DELIVERED ? now : null)))
                .replaceWithVoid();
    }

    private Due due(Row row) {
        String repoName = row.getString("repo");
        RepoSlug repo = repoName == null ? null : RepoSlug.parse(repoName);
        int issue = repo == null ? 0 : row.getInteger("issue");
        String link = row.getString("link");
        Notice notice = new Notice(Kind.valueOf(row.getString("kind")), repo, issue, row.getString("title"),
                row.getString("message"), link == null ? null : URI.create(link), repo == null ? null : issueLink(repo, issue),
                row.getString("agent"));
        Optional<Binding> binding = row.getLong("agent_channel_id") == null ? Optional.empty()
                : Optional.of(new Binding(row.getString("binding_target"),
                        Optional.ofNullable(row.getString("binding_server")).map(URI::create)));
        return new Due(row.getLong("id"), row.getString("channel"), Optional.ofNullable(row.getString("destination")),
                binding, row.getInteger("attempts"), notice);
    }

    private URI issueLink(RepoSlug repo, int issue) {
        return URI.create(config.issueUrlTemplate().replace("{repo}", repo.toString()).replace("{issue}", Integer.toString(issue)));
    }

    private static String truncate(String error) {
        return error == null || error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
    }
}
