package dev.afk.controlplane.tracker;

import dev.afk.controlplane.common.RepoSlug;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * A durable "look at this repository soon" queue between whoever learns of a change (webhooks) and
 * the pipeline: its poller, and the repository's active run. Signals collapse per repository;
 * draining is safe across replicas. Once a signal is committed, this replica is told at once
 * ({@link RepoSignalled}), so the signal is drained now rather than at the next scheduled drain.
 */
@ApplicationScoped
public class RepoSignals {

    private final Pool pool;
    private final Event<RepoSignalled> signalled;
    private final Clock clock;

    RepoSignals(Pool pool, Event<RepoSignalled> signalled, Clock clock) {
        this.pool = pool;
        this.signalled = signalled;
        this.clock = clock;
    }

    public Uni<Void> signal(RepoSlug repo, String reason) {
        return signal(pool, repo, reason).invoke(() -> announce(repo));
    }

    /** Tells this replica that a signal for {@code repo} is committed; never blocks. */
    public void announce(RepoSlug repo) {
        signalled.fire(new RepoSignalled(repo));
    }

    /**
     * Signals through {@code client}, e.g. a connection whose transaction also records why; the
     * caller {@linkplain #announce announces} it once that transaction has committed.
     */
    public Uni<Void> signal(SqlClient client, RepoSlug repo, String reason) {
        return client.preparedQuery("""
                        insert into repo_signal (repo, reason, signalled_at) values ($1, $2, $3)
                        on conflict (repo) do update set reason = excluded.reason, signalled_at = excluded.signalled_at""")
                .execute(Tuple.of(repo.toString(), reason, OffsetDateTime.now(clock)))
                .replaceWithVoid();
    }

    /** Takes every pending signal; each is handed to exactly one caller. */
    public Uni<List<RepoSlug>> drain() {
        return drain(pool);
    }

    /** Takes every pending signal through {@code client}, e.g. a transaction that also acts on them. */
    public Uni<List<RepoSlug>> drain(SqlClient client) {
        return client.query("delete from repo_signal returning repo").execute()
                .map(rows -> StreamSupport.stream(rows.spliterator(), false)
                        .map((Row row) -> RepoSlug.parse(row.getString("repo")))
                        .toList());
    }
}
