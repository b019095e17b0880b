package dev.afk.controlplane.afk.dispatch;

import dev.afk.controlplane.afk.OnDemandPass;
import dev.afk.controlplane.afk.PipelineConfig;
import dev.afk.controlplane.afk.PipelineTicks;
import dev.afk.controlplane.afk.killswitch.KillSwitch;
import dev.afk.controlplane.afk.prompt.Prompts;
import dev.afk.controlplane.afk.prompt.TemplateException;
import dev.afk.controlplane.afk.repos.Repo;
import dev.afk.controlplane.afk.repos.RepoStore;
import dev.afk.controlplane.afk.runs.Run;
import dev.afk.controlplane.afk.runs.RunQueue;
import dev.afk.controlplane.afk.runs.RunStore;
import dev.afk.controlplane.afk.runs.RunsDue;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.common.RunId;
import dev.afk.controlplane.executor.Executor;
import dev.afk.controlplane.tracker.Issue;
import dev.afk.controlplane.tracker.IssueTracker;
import dev.afk.controlplane.tracker.RepoSignalled;
import dev.afk.controlplane.tracker.RepoSignals;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Finds ready issues and queues at most one run per repository per pass. Safe with many replicas:
 * a repository is polled under a PostgreSQL advisory lock, the global cap is checked under another,
 * and the unique indexes on runs refuse a second active run whatever happens.
 */
@ApplicationScoped
public class Poller {

    private static final Logger LOG = Logger.getLogger(Poller.class);

    private final Pool pool;
    private final RepoStore repos;
    private final RunStore runs;
    private final RunQueue runQueue;
    private final IssueTracker tracker;
    private final RepoSignals signals;
    private final KillSwitch killSwitch;
    private final Executor executor;
    private final ReleaseStore releases;
    private final PollProblems problems;
    private final PipelineConfig config;
    private final Event<RunsDue> runsDue;
    private final OnDemandPass signalPass;
    private final Clock clock;

    Poller(Pool pool, RepoStore repos, RunStore runs, RunQueue queue, IssueTracker tracker, RepoSignals signals,
            KillSwitch killSwitch, Executor executor, ReleaseStore releases, PollProblems problems, PipelineConfig config,
            Event<RunsDue> runsDue, Vertx vertx, Clock clock) {
        this.runsDue = runsDue;
        this.signalPass = new OnDemandPass("signal", vertx, this::scheduledSignals);
        this.executor = executor;
        this.releases = releases;
        this.pool = pool;
        this.repos = repos;
        this.runs = runs;
        this.runQueue = queue;
        this.tracker = tracker;
        this.signals = signals;
        this.killSwitch = killSwitch;
        this.problems = problems;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${afk.pipeline.poll-every:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = PipelineTicks.class)
    Uni<Void> scheduledPoll() {
        return tick().replaceWithVoid();
    }

    /** A committed signal is drained at once; the scheduled drain below catches what this misses. */
    void onSignal(@Observes RepoSignalled signalled) {
        if (config.ticksEnabled()) {
            signalPass.request();
        }
    }

    /** Signals from webhooks are drained often, so a label dispatches and a CI result lands within seconds. */
    @Scheduled(every = "${afk.pipeline.signal-every:3s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = PipelineTicks.class)
    Uni<Void> scheduledSignals() {
        return drainSignals().chain(signalled -> signalled.isEmpty() ? Uni.createFrom().voidItem()
                : pollRepos(signalled).replaceWithVoid());
    }

    /** One pass over every enrolled repository (signalled ones first); returns the runs queued. */
    public Uni<List<RunId>> tick() {
        return drainSignals().chain(signalled -> repos.list(pool).chain(all -> {
            List<RepoSlug> ordered = all.stream().map(Repo::slug)
                    .sorted(Comparator.comparing((RepoSlug r) -> !signalled.contains(r)).thenComparing(RepoSlug::toString))
                    .toList();
            return pollRepos(ordered);
        }));
    }

    /**
     * Takes the pending signals and, in the same transaction, makes each signalled repository's open
     * run due now: an event about a repository (a push, a check, a status) reaches its run at the next
     * reconcile pass instead of waiting for the run's own cadence.
     */
    private Uni<List<RepoSlug>> drainSignals() {
        return pool.withTransaction(sql -> signals.drain(sql)
                        .call(signalled -> runs.nudgeRepos(sql, signalled, clock.instant())))
                .invoke(signalled -> {
                    if (!signalled.isEmpty()) {
                        runsDue.fire(new RunsDue());
                    }
                });
    }

    private Uni<List<RunId>> pollRepos(List<RepoSlug> slugs) {
        // The kill switch is read before any other I/O, then whether the executor takes new work.
        return killSwitch.engaged()
                .chain(engaged -> engaged ? Uni.createFrom().item(Optional.of("kill switch")) : executor.dispatchHold())
                .chain(hold -> hold.isPresent() ? Uni.createFrom().item(List.<RunId>of())
                        : Multi.createFrom().iterable(slugs)
                        .onItem().transformToUniAndConcatenate(slug -> pollRepo(slug)
                                .invoke(() -> problems.succeeded(slug))
                                .onFailure().recoverWithItem(e -> {
                                    problems.failed(slug, e);
                                    return Optional.empty();
                                }))
                        .filter(Optional::isPresent).map(Optional::get)
                        .collect().asList()
                        .invoke(queued -> {
                            if (!queued.isEmpty()) {
                                runsDue.fire(new RunsDue());
                            }
                        }));
    }

    /**
     * Polls one repository; the run id if one was queued. GitHub is read first, with no transaction
     * or lock held (a slow answer must not hold a pooled connection); then, under the repository's
     * advisory lock and in one short transaction, what may have changed meanwhile is read again and
     * the run inserted.
     */
    public Uni<Optional<RunId>> pollRepo(RepoSlug slug) {
        return repos.find(pool, slug).chain(repo -> repo.isEmpty() || held(repo.get()) ? none()
                : choose(repo.get()).chain(choice -> choice.isEmpty() ? none() : queueUnderLock(slug, choice.get())));
    }

    private static boolean held(Repo repo) {
        return repo.paused() || repo.frozen();
    }

    private static <T> Uni<Optional<T>> none() {
        return Uni.createFrom().item(Optional.empty());
    }

    /** The issue to dispatch and the workflow to dispatch it with. */
    private record Choice(Candidate candidate, RunQueue.Workflow workflow) {}

    /**
     * Reads GitHub and applies the policy; no lock is held. The workflow file is read only once an
     * issue is about to dispatch: an idle repository costs its issue listing alone (ADR 0017).
     */
    private Uni<Optional<Choice>> choose(Repo repo) {
        return runs.activity(pool, repo.slug()).chain(activity -> {
            if (activity.inRepo() || activity.global() >= config.globalCap()) {
                return none();
            }
            Gates gates = new Gates(false, true, false, false, null, false, activity.issuesInRepo(),
                    activity.global(), config.globalCap(), repo.labels().ready(), null, activity.lastRunAt());
            return tracker.openIssuesWithLabel(repo.slug(), repo.labels().ready())
                    .map(issues -> issues.stream().sorted(DispatchPolicy.ORDER).toList())
                    .chain(ordered -> firstEligible(repo, gates, ordered, 0))
                    .chain(candidate -> candidate.isEmpty() ? none()
                            : runQueue.workflow(pool, repo).map(workflow -> workflow.error() != null ? Optional.<Choice>empty()
                                    : Optional.of(new Choice(candidate.get(), workflow))));
        });
    }

    /** Gathers facts issue by issue in dispatch order and stops at the first the policy admits. */
    private Uni<Optional<Candidate>> firstEligible(Repo repo, Gates gates, List<Issue> ordered, int index) {
        if (index >= ordered.size()) {
            return none();
        }
        Issue issue = ordered.get(index);
        return Candidates.gather(tracker, repo, issue)
                .chain(gathered -> releases.withPin(pool, repo.slug(), gathered))
                .chain(pinned -> Candidates.confirmTrust(tracker, repo, gates, pinned))
                .chain(candidate -> {
                    DispatchVerdict verdict = DispatchPolicy.evaluate(gates, candidate);
                    return releases.record(pool, repo.slug(), candidate, verdict, clock.instant())
                            .chain(() -> verdict.dispatch() ? Uni.createFrom().item(Optional.of(candidate))
                                    : firstEligible(repo, gates, ordered, index + 1));
                });
    }

    /**
     * Decide-and-insert, short: the kill switch, the repository's levers and its open run are read
     * again (they may have moved while GitHub answered); the unique indexes and the global-cap lock
     * refuse whatever slips past.
     */
    private Uni<Optional<RunId>> queueUnderLock(RepoSlug slug, Choice choice) {
        return killSwitch.engaged().chain(engaged -> engaged ? none() : pool.withTransaction(sql -> sql
                .preparedQuery("select pg_try_advisory_xact_lock(hashtextextended($1, 0)) as locked")
                .execute(Tuple.of("afk-poll:" + slug))
                .map(rows -> rows.iterator().next().getBoolean("locked"))
                .chain(locked -> !locked ? none() : repos.find(sql, slug).chain(repo -> repo.isEmpty() || held(repo.get())
                        ? none()
                        : runs.activity(sql, slug).chain(activity -> activity.inRepo() ? none()
                                : queue(sql, repo.get(), choice.candidate(), choice.workflow()))))));
    }

    private Uni<Optional<RunId>> queue(SqlClient sql, Repo repo, Candidate candidate, RunQueue.Workflow workflow) {
        Instant now = clock.instant();
        RunId runId = RunId.random();
        Issue issue = candidate.issue();
        String prompt;
        try {
            prompt = Prompts.implementer(workflow.template(), repo.slug(), repo.defaultBranch(), runId, issue,
                    workflow.file() == null ? null : workflow.file().settings().testCommand(), repo.landing());
        } catch (TemplateException e) {
            return repos.setWorkflowError(sql, repo.slug(), e.getMessage()).replaceWith(Optional.empty());
        }
        var labelled = candidate.lastLabelled().orElseThrow();
        Run run = Run.queued(runId, new Run.Release(repo.slug(), issue.number(), issue.title(), labelled.actor(), labelled.at()),
                prompt, runQueue.settings(repo, workflow.file()), now, null);
        return runQueue.insertUnderCap(sql, run, "pipeline")
                .invoke(queued -> {
                    if (queued) {
                        LOG.infof("%s#%d queued as run %s, released by %s", repo.slug(), issue.number(), runId, labelled.actor());
                    }
                })
                .map(queued -> queued ? Optional.of(runId) : Optional.<RunId>empty());
    }
}
