package dev.afk.controlplane.tracker.github;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.tracker.RepoSignals;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;

/**
 * Webhook deliveries already handled. A delivery is recorded and its repository signalled in one
 * transaction, so a recorded delivery always left its signal and a redelivery is recognised.
 */
@ApplicationScoped
public class WebhookDeliveries {

    private final Pool pool;
    private final RepoSignals signals;
    private final GitHubTrackerConfig config;
    private final Clock clock;

    WebhookDeliveries(Pool pool, RepoSignals signals, GitHubTrackerConfig config, Clock clock) {
        this.pool = pool;
        this.signals = signals;
        this.config = config;
        this.clock = clock;
    }

    /** Records the delivery and signals its repository; false if this delivery was seen before. */
    public Uni<Boolean> signalOnce(String deliveryId, String event, RepoSlug repo, String reason) {
        return pool.withTransaction(connection -> connection.preparedQuery("""
                        insert into webhook_delivery (delivery_id, event, repo, received_at) values ($1, $2, $3, $4)
                        on conflict (delivery_id) do nothing""")
                .execute(Tuple.of(deliveryId, event, repo.toString(), OffsetDateTime.now(clock)))
                .flatMap(inserted -> inserted.rowCount() == 0 ? Uni.createFrom().item(false)
                        : signals.signal(connection, repo, reason).replaceWith(true)))
                .invoke(fresh -> {
                    if (fresh) {
                        signals.announce(repo);
                    }
                });
    }

    /** Forgets deliveries older than the retention: GitHub redelivers only recent ones. */
    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> expire() {
        return pool.preparedQuery("delete from webhook_delivery where received_at < $1")
                .execute(Tuple.of(OffsetDateTime.now(clock).minus(config.webhook().deliveryRetention())))
                .replaceWithVoid();
    }
}
