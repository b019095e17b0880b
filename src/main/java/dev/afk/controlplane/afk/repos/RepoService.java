package dev.afk.controlplane.afk.repos;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.tracker.RepoSignals;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** Enrollment and the per-repository levers: pause, resume, unfreeze. */
@ApplicationScoped
public class RepoService {

    private final Pool pool;
    private final RepoStore repos;
    private final Clock clock;
    private final List<RepoListener> listeners;
    private final RepoSignals signals;

    RepoService(Pool pool, RepoStore repos, Clock clock, Instance<RepoListener> listeners, RepoSignals signals) {
        this.signals = signals;
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
        return pool.withTransaction(sql -> repos.insert(sql, repo)
                        .call(() -> repos.audit(sql, repo.slug(), new RepoStore.Change("enroll", settings(repo),
                                repo.enrolledBy(), repo.enrolledAt()))))
                .call(enrolled -> tell(l -> l.enrolled(enrolled)));
    }

    /**
     * Changes an enrollment's settings, audited with who, when and the new settings. Runs keep the
     * budgets and CI settings they were dispatched with; labels cannot change under an open run
     * (it would read its missing ready label as a cancellation).
     */
    public Uni<Repo> update(RepoSlug slug, UnaryOperator<Repo> change, String by) {
        return pool.withTransaction(sql -> repos.findForUpdate(sql, slug)
                        .map(r -> r.orElseThrow(() -> new RepoProblems.NotEnrolled(slug)))
                        .chain(before -> {
                            Repo after = change.apply(before);
                            Uni<Void> allowed = after.labels().equals(before.labels()) ? Uni.createFrom().voidItem()
                                    : repos.hasOpenRun(sql, slug).invoke(open -> {
                                        if (open) {
                                            throw new RepoProblems.HasOpenRun(slug, "its labels cannot change now");
                                        }
                                    }).replaceWithVoid();
                            return allowed.chain(() -> repos.updateSettings(sql, after, clock.instant()))
                                    .chain(() -> repos.audit(sql, slug, new RepoStore.Change("update", settings(after), by,
                                            clock.instant())));
                        }))
                .chain(() -> get(slug));
    }

    /**
     * Removes an enrollment, audited. Refused while a run of the repository is open: cancel it
     * first, so no agent is left working on a repository nobody watches. Finished runs stay on the
     * record; the registry agent is stopped.
     */
    public Uni<Void> unenroll(RepoSlug slug, String by) {
        return pool.withTransaction(sql -> repos.findForUpdate(sql, slug)
                        .map(r -> r.orElseThrow(() -> new RepoProblems.NotEnrolled(slug)))
                        .chain(repo -> repos.hasOpenRun(sql, slug).chain(open -> {
                            if (open) {
                                throw new RepoProblems.HasOpenRun(slug, "it cannot be un-enrolled now");
                            }
                            return repos.delete(sql, slug)
                                    .chain(() -> repos.audit(sql, slug, new RepoStore.Change("unenroll", settings(repo), by,
                                            clock.instant())))
                                    .replaceWith(repo);
                        })))
                .call(repo -> tell(l -> l.unenrolled(repo)))
                .replaceWithVoid();
    }

    public Uni<List<RepoStore.Change>> history(RepoSlug slug, int limit) {
        return repos.history(pool, slug, limit);
    }

    /** The settings an audit entry records. */
    private static String settings(Repo r) {
        return "labels=" + r.labels() + " ciStages=" + r.ciStages() + " requiredChecks=" + r.requiredChecks()
                + " deployments=" + r.deployments() + " imageTemplate=" + r.imageTemplate() + " executorModel="
                + r.executorModel() + " caps=" + r.caps() + " landing=" + r.landing();
    }

    public Uni<List<Repo>> list() {
        return repos.list(pool);
    }

    public Uni<Repo> get(RepoSlug slug) {
        return repos.find(pool, slug).map(r -> r.orElseThrow(() -> new RepoProblems.NotEnrolled(slug)));
    }

    /** A resume signals the repository, so a waiting issue dispatches within seconds, not at the next poll. */
    public Uni<Repo> setPaused(RepoSlug slug, boolean paused) {
        return repos.setPaused(pool, slug, paused, clock.instant())
                .call(() -> paused ? Uni.createFrom().voidItem() : signals.signal(slug, "resumed"))
                .chain(() -> get(slug)).call(repo -> tell(l -> l.pausedChanged(repo)));
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
                            .call(() -> signals.signal(sql, slug, "unfrozen"))
                            .chain(() -> tell(l -> l.unfrozen(sql, repo, by)));
                }))
                .invoke(() -> signals.announce(slug))
                .chain(() -> get(slug));
    }

    /** Each listener in turn. */
    private Uni<Void> tell(Function<RepoListener, Uni<Void>> news) {
        return Multi.createFrom().iterable(listeners).onItem().transformToUniAndConcatenate(news::apply).collect().last()
                .replaceWithVoid();
    }
}
