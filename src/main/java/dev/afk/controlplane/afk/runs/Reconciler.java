package dev.afk.controlplane.afk.runs;

import dev.afk.controlplane.afk.OnDemandPass;
import dev.afk.controlplane.afk.PipelineConfig;
import dev.afk.controlplane.afk.PipelineTicks;
import dev.afk.controlplane.afk.killswitch.KillSwitchEngaged;
import dev.afk.controlplane.afk.repos.Landing;
import dev.afk.controlplane.afk.repos.Repo;
import dev.afk.controlplane.afk.repos.RepoStore;
import dev.afk.controlplane.afk.runs.RunStore.StoredEffect;
import dev.afk.controlplane.ci.CiVerdicts;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.ci.CiVerdicts.Verdict;
import dev.afk.controlplane.common.RunId;
import dev.afk.controlplane.executor.Executor;
import dev.afk.controlplane.executor.Executor.ThreadObservation;
import dev.afk.controlplane.tracker.Commit;
import dev.afk.controlplane.tracker.IssueTracker;
import dev.afk.controlplane.tracker.PullRequest;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The level-triggered loop over active runs: perform what is owed, observe, decide, commit the
 * decision with its effects in one transaction, perform them. Holds nothing in memory between
 * ticks, so a restart (or another replica) carries on from the database.
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    /** How far before the run's creation to look for its commits (clock skew between machines). */
    private static final Duration COMMIT_LOOKBACK = Duration.ofMinutes(10);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);
    /** How soon a run whose executor command the kill switch held looks again. */
    private static final Duration HELD_RETRY = Duration.ofSeconds(10);

    private final String replica = "replica-" + UUID.randomUUID();
    private final Pool pool;
    private final RunStore runs;
    private final RepoStore repos;
    private final EffectPerformer performer;
    private final IssueTracker tracker;
    private final Executor executor;
    private final CiVerdicts ci;
    private final PipelineConfig config;
    private final RunMetrics metrics;
    private final OnDemandPass requestedPass;
    private final Vertx vertx;
    private final Clock clock;

    Reconciler(Pool pool, RunStore runs, RepoStore repos, EffectPerformer performer, IssueTracker tracker, Executor executor,
            CiVerdicts ci, PipelineConfig config, RunMetrics metrics, Vertx vertx, Clock clock) {
        this.requestedPass = new OnDemandPass("reconcile", vertx, this::scheduledTick);
        this.vertx = vertx;
        this.pool = pool;
        this.runs = runs;
        this.repos = repos;
        this.performer = performer;
        this.tracker = tracker;
        this.executor = executor;
        this.ci = ci;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        // The name a run's lease_owner shows while this process holds it.
        LOG.infof("Runs are leased as %s", replica);
    }

    @Scheduled(every = "${afk.pipeline.reconcile-every:10s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = PipelineTicks.class)
    Uni<Void> scheduledTick() {
        return tick(replica).replaceWithVoid();
    }

    /** Runs made due now are reconciled at once; the scheduled pass catches what this misses. */
    void onRunsDue(@Observes RunsDue due) {
        passSoon();
    }

    private void passSoon() {
        if (config.ticksEnabled()) {
            requestedPass.request();
        }
    }

    /** One pass over the due runs as {@code owner}; returns how many runs it handled. */
    public Uni<Integer> tick(String owner) {
        Instant now = clock.instant();
        return pool.withTransaction(sql -> runs.claim(sql, owner, now, now.plus(config.lease()), config.reconcileBatch()))
                .chain(claimed -> claimed.isEmpty() ? Uni.createFrom().item(0)
                        : keepingLeases(claimed, owner, Multi.createFrom().iterable(claimed)
                                .onItem().transformToUniAndConcatenate(run -> reconcile(run, owner))
                                .collect().asList()
                                .replaceWith(claimed.size())));
    }

    /**
     * Renews the batch's leases while the pass works through it: the runs are handled one after the
     * other, and a slow dependency (GitHub retrying 5xx behind its write queue) can make a pass
     * outlast the lease, when another pass would take a run over and perform its effects twice. A
     * replica that dies stops renewing: its runs are free one lease after its last renewal.
     */
    private <T> Uni<T> keepingLeases(List<Run> claimed, String owner, Uni<T> pass) {
        List<RunId> ids = claimed.stream().map(Run::id).toList();
        long every = Math.max(1, config.leaseRenewEvery().orElse(config.lease().dividedBy(3)).toMillis());
        return Uni.createFrom().deferred(() -> {
            long timer = vertx.setPeriodic(every, ignored -> runs.renewLeases(pool, ids, owner, clock.instant().plus(config.lease()))
                    .subscribe().with(done -> {}, e -> LOG.debugf("renewing leases failed: %s", e.toString())));
            return pass.onTermination().invoke(() -> vertx.cancelTimer(timer));
        });
    }

    private Uni<Void> reconcile(Run run, String owner) {
        return repos.find(pool, run.repo())
                .map(repo -> repo.orElseThrow(() -> new IllegalStateException("run of a repository no longer enrolled")))
                .chain(repo -> performOwed(run.id(), repo).chain(owed -> {
                    if (owed.stuck() && run.state().terminal()) {
                        return giveUp(run, owed).map(Look::after);
                    }
                    return owed.blocked() && !owed.stuck()
                            ? Uni.createFrom().item(Look.after(owed.backoff()))
                            : decideAndAct(run.id(), repo, owner, owed);
                }))
                .onFailure().recoverWithItem(e -> {
                    if (!(e instanceof LeaseLost)) {
                        withFields(run, () -> LOG.warnf(e, "reconciling run %s failed; retrying on a later tick", run.id()));
                    }
                    return Look.after(Duration.ofSeconds(5));
                })
                .chain(look -> runs.release(pool, run.id(), owner, clock.instant().plus(look.delay()))
                        .invoke(() -> {
                            if (look.moved()) {
                                passSoon();
                            }
                        }));
    }

    /** When a run is looked at again, and whether it moved this pass (then it is due again at once). */
    private record Look(Duration delay, boolean moved) {
        static Look after(Duration delay) {
            return new Look(delay, false);
        }
    }

    /**
     * A finished run whose effect keeps failing would hold its repository forever: its remaining
     * effects are abandoned, on the record, for an operator to finish by hand.
     */
    private Uni<Duration> giveUp(Run run, Owed owed) {
        Instant now = clock.instant();
        withFields(run, () -> LOG.errorf("run %s: abandoning its remaining effects: %s", run.id(), owed.failure()));
        return pool.withTransaction(sql -> runs.abandonPendingEffects(sql, run.id(), now)
                        .chain(() -> runs.appendEvent(sql, run.id(), now, run.state(), run.state(),
                                "effects abandoned, finish by hand: " + owed.failure(), "pipeline")))
                .replaceWith(Duration.ZERO);
    }

    /** What is left of the effects owed so far: nothing, a failure to retry later, or one that keeps failing. */
    private record Owed(boolean blocked, boolean stuck, String failure, Duration backoff) {
        static final Owed NONE = new Owed(false, false, null, Duration.ZERO);
    }

    private Uni<Owed> performOwed(RunId runId, Repo repo) {
        return runs.effects(pool, runId, true).chain(pending -> performInOrder(runId, repo, pending, 0));
    }

    private Uni<Owed> performInOrder(RunId runId, Repo repo, List<StoredEffect> pending, int index) {
        if (index >= pending.size()) {
            return Uni.createFrom().item(Owed.NONE);
        }
        StoredEffect next = pending.get(index);
        if (next.attempts() >= config.maxEffectAttempts()) {
            return Uni.createFrom().item(new Owed(true, true, describe(next), MAX_BACKOFF));
        }
        // The run is re-read for every effect: an earlier one may have recorded an id a later one needs.
        return runs.find(pool, runId).map(Optional::orElseThrow)
                .chain(run -> performer.perform(next.effect(), run, repo))
                .chain(() -> runs.effectDone(pool, runId, next.seq(), clock.instant()))
                .replaceWith(true)
                .onFailure(KillSwitchEngaged.class).recoverWithUni(e -> runs.effectHeld(pool, runId, next.seq(),
                        "held: " + e.getMessage()).replaceWith((Boolean) null))
                .onFailure().recoverWithUni(e -> runs.effectFailed(pool, runId, next.seq(), message(e)).replaceWith(false))
                .chain(done -> {
                    if (done == null) {
                        // The run waits where it is until the switch is released; nothing is decided meanwhile.
                        return Uni.createFrom().item(new Owed(true, false, null, HELD_RETRY));
                    }
                    return done
                            ? performInOrder(runId, repo, pending, index + 1)
                            : Uni.createFrom().item(new Owed(true, false, null, backoff(next.attempts() + 1)));
                });
    }

    /**
     * A run that changed state is looked at again at once: what it waits for in its new state may
     * already be there (a CI result that arrived while the agent was still working), and the event
     * that announced it has been spent. A pass is requested for it once it is released.
     */
    private Look nextLook(RunState before, RunState after, Owed left) {
        if (left.blocked()) {
            return Look.after(left.backoff()); // an effect of the decision failed: it backs off first
        }
        return before == after ? Look.after(cadence(after)) : new Look(Duration.ZERO, true);
    }

    /** How soon a run in {@code state} is looked at again; events bring it forward (RunStore.nudgeRepos). */
    Duration cadence(RunState state) {
        return switch (state) {
            case WORKING, FIX_FORWARDING -> config.cadence().working();
            case AWAITING_CI -> config.cadence().awaitingCi();
            case NEEDS_INPUT -> config.cadence().needsInput();
            default -> Duration.ZERO;
        };
    }

    /** Decides, commits and performs the decision's effects; when to look at the run again. */
    private Uni<Look> decideAndAct(RunId runId, Repo repo, String owner, Owed owed) {
        return runs.find(pool, runId).map(Optional::orElseThrow)
                .chain(run -> observe(run, repo, owed).chain(seen -> {
                    RunDecision decision = new RunDecision(run.settings().budgets(), repo.labels());
                    Decision d = decision.decide(run, seen);
                    if (!d.changes(run.progress())) {
                        return Uni.createFrom().item(Look.after(cadence(run.state())));
                    }
                    return pool.withTransaction(sql -> (owed.stuck()
                                    ? runs.abandonPendingEffects(sql, runId, seen.now()) : Uni.createFrom().voidItem())
                                    .chain(() -> runs.commit(sql, run, d, owner, seen.now())))
                            .invoke(after -> {
                                if (d.event() != null) {
                                    withFields(after, () -> LOG.infof("run %s: %s -> %s: %s", runId, run.state(), after.state(), d.event()));
                                }
                                metrics.transition(run, after);
                            })
                            .chain(after -> performOwed(runId, repo).map(left -> nextLook(run.state(), after.state(), left)));
                }));
    }

    private Uni<Observation> observe(Run run, Repo repo, Owed owed) {
        Instant now = clock.instant();
        Uni<ThreadObservation> thread = run.executor().threadId() == null
                ? Uni.createFrom().item(ThreadObservation.unknown())
                : executor.observe(List.of(run.executor().threadId()))
                        .map(all -> all.getOrDefault(run.executor().threadId(), ThreadObservation.unknown()));
        // A pull-request run's pull request is looked at in every state after dispatch: a person may close it any time.
        Uni<Optional<PullRequest>> pull = run.settings().byPullRequest() && run.progress().dispatchedAt() != null
                ? tracker.pullRequest(run.repo(), Landing.branch(run.issue(), run.id()))
                : Uni.createFrom().item(Optional.empty());
        Uni<Integer> refusals = run.settings().byPullRequest() && run.state() == RunState.AWAITING_CI
                ? runs.events(pool, run.id()).map(events -> (int) events.stream()
                        .filter(e -> EffectPerformer.MERGE_ACTOR.equals(e.actor())).count())
                : Uni.createFrom().item(0);
        return Uni.combine().all().unis(tracker.issue(run.repo(), run.issue()), thread, pull, refusals).asTuple()
                .chain(t -> newestCommit(run, repo, t.getItem3())
                        .chain(newest -> verdict(run, repo, newest, t.getItem3()).map(verdict -> new Observation(now,
                                t.getItem1(), t.getItem2(), newest, verdict, Optional.ofNullable(owed.failure()), t.getItem3(),
                                t.getItem4()))));
    }

    /**
     * The run's newest commit where its agent pushes: the default branch, or the run's own branch
     * until its pull request is merged (after that, the merge commit is what the run waits on).
     */
    private Uni<Optional<Commit>> newestCommit(Run run, Repo repo, Optional<PullRequest> pull) {
        RunState state = run.state();
        boolean watchesCommits = state == RunState.WORKING || state == RunState.NEEDS_INPUT
                || state == RunState.AWAITING_CI || state == RunState.FIX_FORWARDING;
        if (!watchesCommits || pull.filter(p -> p.state() == PullRequest.State.MERGED).isPresent()) {
            return Uni.createFrom().item(Optional.empty());
        }
        String branch = run.settings().byPullRequest() ? Landing.branch(run.issue(), run.id()) : repo.defaultBranch();
        return tracker.commitsSince(run.repo(), branch, run.createdAt().minus(COMMIT_LOOKBACK))
                .map(commits -> commits.stream().filter(c -> c.trailer("AFK-Run").contains(run.id().toString())).findFirst());
    }

    /**
     * CI is asked only about the commit the run is waiting on. A pull request's head is judged
     * without the rollout (nothing of it is deployed before the merge); its merge commit, on the
     * default branch, by every stage, as a pushed commit is.
     */
    private Uni<Optional<Verdict>> verdict(Run run, Repo repo, Optional<Commit> newest, Optional<PullRequest> pull) {
        String sha = run.progress().commitSha();
        if (run.state() != RunState.AWAITING_CI || sha == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        RunSettings settings = run.settings();
        Optional<PullRequest> merged = pull.filter(p -> p.state() == PullRequest.State.MERGED);
        if (merged.isPresent()) {
            return sha.equals(merged.get().mergeCommitSha())
                    ? verdict(run, repo, sha, repo.defaultBranch(), settings.ciStages())
                    : Uni.createFrom().item(Optional.empty());
        }
        if (newest.isEmpty() || !newest.get().sha().equals(sha)) {
            return Uni.createFrom().item(Optional.empty());
        }
        if (!settings.byPullRequest()) {
            return verdict(run, repo, sha, repo.defaultBranch(), settings.ciStages());
        }
        return verdict(run, repo, sha, Landing.branch(run.issue(), run.id()),
                settings.ciStages().stream().filter(stage -> stage != Stage.ROLLOUT).toList());
    }

    private Uni<Optional<Verdict>> verdict(Run run, Repo repo, String sha, String branch, List<Stage> stages) {
        return ci.verdict(new CiVerdicts.Target(run.repo(), sha, branch, stages, run.settings().requiredChecks(),
                        repo.deployments(), repo.imageTemplate()))
                .map(Optional::of);
    }

    private static Duration backoff(int attempts) {
        Duration d = Duration.ofSeconds(5L << Math.min(attempts, 10));
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    private static String describe(StoredEffect effect) {
        String type = effect.effect().getClass().getSimpleName();
        return type + " failed " + effect.attempts() + " times" + (effect.lastError() == null ? "" : ": " + effect.lastError());
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + (m.length() > 500 ? m.substring(0, 500) : m));
    }

    /** Logs with the run's {@code repo}, {@code issue} and {@code run} fields, then clears them. */
    private static void withFields(Run run, Runnable logging) {
        MDC.put("repo", run.repo().toString());
        MDC.put("issue", run.issue());
        MDC.put("run", run.id().toString());
        try {
            logging.run();
        } finally {
            MDC.remove("repo");
            MDC.remove("issue");
            MDC.remove("run");
        }
    }
}
