package dev.afk.controlplane.afk.runs;

import dev.afk.controlplane.afk.repos.Repo;
import dev.afk.controlplane.afk.repos.RepoListener;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/** The run that froze a repository records, on its timeline, who released it. */
@ApplicationScoped
class FrozenRunTimeline implements RepoListener {

    private final RunStore runs;
    private final Clock clock;

    FrozenRunTimeline(RunStore runs, Clock clock) {
        this.runs = runs;
        this.clock = clock;
    }

    @Override
    public Uni<Void> unfrozen(SqlClient sql, Repo repo, String by) {
        return runs.appendEvent(sql, repo.frozenByRun(), clock.instant(), RunState.FROZEN, RunState.FROZEN,
                "repository unfrozen by " + by, by);
    }
}
