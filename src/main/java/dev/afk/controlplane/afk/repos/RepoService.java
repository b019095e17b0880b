package dev.afk.controlplane.afk.repos;

import dev.afk.controlplane.common.RepoSlug;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/** Enrollment and the per-repository levers: pause, resume, unfreeze. */
@ApplicationScoped
public class RepoService {

    private final Pool pool;
    private final RepoStore repos;
    private final Clock clock;
    private final List<RepoListener> listeners;

    RepoService(Pool pool, RepoStore repos, Clock clock, Instance<RepoListener> listeners) {
        this.pool = pool;
        this.repos = repos;
        this.clock = clock;
        this.listeners = listeners.stream().toList();
    }

    /**
     * Enrolls it and gives it its registry agent. The agent lives in another store, so it is
     * created right after the repository; one missed here is created at the next start.
     */
    public Uni<Repo> enroll(Repo repo) {
        return repos.insert(pool, repo).call(enrolled -> tell(l -> l.enrolled(enrolled)));
    }

    public Uni<List<Repo>> list() {
        return repos.list(pool);
    }

    public Uni<Repo> get(RepoSlug slug) {
        return repos.find(pool, slug).map(r -> r.orElseThrow(() -> new RepoProblems.NotEnrolled(slug)));
    }

    public Uni<Repo> setPaused(RepoSlug slug, boolean paused) {
        return repos.setPaused(pool, slug, paused, clock.instant()).chain(() -> get(slug)).call(repo -> tell(l -> l.pausedChanged(repo)));
    }

    /** Releases a frozen repository; the freezing run's timeline records who released it. */
    public Uni<Repo> unfreeze(RepoSlug slug, String by) {
        return pool.withTransaction(sql -> repos.findForUpdate(sql, slug)
                .map(r -> r.orElseThrow(() -> new RepoProblems.NotEnrolled(slug)))
                .call(repo -> {
                    if (!repo.frozen()) {
                        throw new RepoProblems.NotFrozen(slug);
                    }
                    return repos.unfreeze(sql, slug, clock.instant()).chain(() -> tell(l -> l.unfrozen(sql, repo, by)));
                }))
                .chain(() -> get(slug));
    }

    /** Each listener in turn. */
    private Uni<Void> tell(Function<RepoListener, Uni<Void>> news) {
        return Multi.createFrom().iterable(listeners).onItem().transformToUniAndConcatenate(news::apply).collect().last()
                .replaceWithVoid();
    }
}
