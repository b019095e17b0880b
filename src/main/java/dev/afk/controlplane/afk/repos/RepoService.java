package dev.afk.controlplane.afk.repos;

import dev.afk.controlplane.afk.registry.ImplementerAgents;
import dev.afk.controlplane.afk.runs.RunState;
import dev.afk.controlplane.afk.runs.RunStore;
import dev.afk.controlplane.common.RepoSlug;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;

/** Enrollment and the per-repository levers: pause, resume, unfreeze. */
@ApplicationScoped
public class RepoService {

    private final Pool pool;
    private final RepoStore repos;
    private final RunStore runs;
    private final Clock clock;
    private final ImplementerAgents agents;

    RepoService(Pool pool, RepoStore repos, RunStore runs, Clock clock, ImplementerAgents agents) {
        this.pool = pool;
        this.repos = repos;
        this.runs = runs;
        this.clock = clock;
        this.agents = agents;
    }

    /**
     * Enrolls it and gives it its registry agent. The agent lives in another store, so it is
     * created right after the repository; one missed here is created at the next start.
     */
    public Uni<Repo> enroll(Repo repo) {
        return repos.insert(pool, repo).call(agents::enrolled);
    }

    public Uni<List<Repo>> list() {
        return repos.list(pool);
    }

    public Uni<Repo> get(RepoSlug slug) {
        return repos.find(pool, slug).map(r -> r.orElseThrow(() -> new RepoProblems.NotEnrolled(slug)));
    }

    public Uni<Repo> setPaused(RepoSlug slug, boolean paused) {
        return repos.setPaused(pool, slug, paused, clock.instant()).chain(() -> get(slug)).call(agents::pausedChanged);
    }

    /** Releases a frozen repository; the freezing run's timeline records who released it. */
    public Uni<Repo> unfreeze(RepoSlug slug, String by) {
        return pool.withTransaction(sql -> repos.findForUpdate(sql, slug)
                .map(r -> r.orElseThrow(() -> new RepoProblems.NotEnrolled(slug)))
                .call(repo -> {
                    if (!repo.frozen()) {
                        throw new RepoProblems.NotFrozen(slug);
                    }
                    return repos.unfreeze(sql, slug, clock.instant())
                            .chain(() -> runs.appendEvent(sql, repo.frozenByRun(), clock.instant(), RunState.FROZEN,
                                    RunState.FROZEN, "repository unfrozen by " + by, by));
                }))
                .chain(() -> get(slug));
    }
}
