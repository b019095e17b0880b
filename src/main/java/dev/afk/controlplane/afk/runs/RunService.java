package dev.afk.controlplane.afk.runs;

import dev.afk.controlplane.afk.killswitch.KillSwitch;
import dev.afk.controlplane.afk.prompt.Prompts;
import dev.afk.controlplane.afk.repos.Repo;
import dev.afk.controlplane.afk.repos.RepoStore;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.common.RunId;
import dev.afk.controlplane.executor.Executor;
import dev.afk.controlplane.tracker.Issue;
import dev.afk.controlplane.tracker.IssueTracker;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Operators' view of runs and their levers: retry, cancel and answer. */
@ApplicationScoped
public class RunService {

    private final Pool pool;
    private final RunStore runs;
    private final RunQueue queue;
    private final RepoStore repos;
    private final IssueTracker tracker;
    private final KillSwitch killSwitch;
    private final Executor executor;
    private final RunQuestions questions;
    private final Clock clock;

    RunService(Pool pool, RunStore runs, RunQueue queue, RepoStore repos, IssueTracker tracker, KillSwitch killSwitch,
            Executor executor, RunQuestions questions, Clock clock) {
        this.pool = pool;
        this.runs = runs;
        this.queue = queue;
        this.repos = repos;
        this.tracker = tracker;
        this.killSwitch = killSwitch;
        this.executor = executor;
        this.questions = questions;
        this.clock = clock;
    }

    public record Detail(Run run, URI threadLink, List<RunStore.Event> timeline, List<RunStore.StoredEffect> effects) {}

    public Uni<List<Run>> list(RepoSlug repo, RunState state, int limit) {
        return runs.list(pool, repo, state, limit);
    }

    public Uni<Run> get(RunId id) {
        return runs.find(pool, id).map(r -> r.orElseThrow(() -> new RunProblems.NotFound(id.toString())));
    }

    public Uni<Detail> detail(RunId id) {
        return get(id).chain(run -> Uni.combine().all()
                .unis(runs.events(pool, run.id()), runs.effects(pool, run.id(), false)).asTuple()
                .map(t -> new Detail(run, link(run), t.getItem1(), t.getItem2())));
    }

    public URI link(Run run) {
        return run.executor().threadId() == null ? null : executor.deepLink(run.executor().threadId());
    }

    /**
     * An operator's retry of a finished run: a new run of the same issue, through the same gates
     * except the label's trust (the operator is the release). Labels are put back first so the new
     * run does not read a missing ready label as a cancellation.
     */
    public Uni<Run> retry(RunId id, String by) {
        return get(id).chain(old -> retry(old, by)).chain(this::get);
    }

    private Uni<RunId> retry(Run old, String by) {
        if (!old.state().terminal()) {
            return Uni.createFrom().failure(new RunProblems.Conflict("only a finished run can be retried; this one is " + old.state()));
        }
        return Uni.combine().all().unis(killSwitch.engaged(), executor.dispatchHold()).asTuple().chain(held -> {
            if (held.getItem1()) {
                throw new RunProblems.Conflict("the global kill switch is engaged");
            }
            if (held.getItem2().isPresent()) {
                throw new RunProblems.Conflict("the executor takes no new work: " + held.getItem2().get());
            }
            return repos.find(pool, old.repo());
        }).chain(found -> {
            Repo repo = found.orElseThrow(() -> new RunProblems.Conflict(old.repo() + " is no longer enrolled"));
            if (repo.frozen()) {
                throw new RunProblems.Conflict(repo.slug() + " is frozen; an admin must unfreeze it first");
            }
            if (repo.paused()) {
                throw new RunProblems.Conflict(repo.slug() + " is paused");
            }
            return Uni.combine().all().unis(tracker.issue(repo.slug(), old.issue()), queue.workflowReadOnly(repo)).asTuple()
                    .chain(t -> {
                        Issue issue = t.getItem1().filter(Issue::open)
                                .orElseThrow(() -> new RunProblems.Conflict("issue #" + old.issue() + " is not open"));
                        RunQueue.Workflow workflow = t.getItem2();
                        if (workflow.error() != null) {
                            throw new RunProblems.Conflict("the workflow file cannot be used: " + workflow.error());
                        }
                        Instant now = clock.instant();
                        RunId runId = RunId.random();
                        String prompt = Prompts.implementer(workflow.template(), repo.slug(), repo.defaultBranch(), runId,
                                issue, workflow.file() == null ? null : workflow.file().settings().testCommand(), repo.landing());
                        Run run = Run.queued(runId, new Run.Release(repo.slug(), issue.number(), issue.title(), by, now),
                                prompt, queue.settings(repo, workflow.file()), now, old.id());
                        return tracker.addLabels(repo.slug(), issue.number(), Set.of(repo.labels().ready()))
                                .chain(() -> tracker.removeLabel(repo.slug(), issue.number(), repo.labels().human()))
                                .chain(() -> pool.withTransaction(sql -> queue.insertUnderCap(sql, run, by)))
                                .map(queued -> {
                                    if (!queued) {
                                        throw new RunProblems.Conflict(repo.slug() + " already has an open run, or the global cap is reached");
                                    }
                                    return runId;
                                });
                    });
        });
    }

    /** Asks the reconciler to cancel: it interrupts the agent and releases labels and worktree. */
    public Uni<Run> cancel(RunId id, String by) {
        Instant now = clock.instant();
        return pool.withTransaction(sql -> runs.findForUpdate(sql, id)
                .map(r -> r.orElseThrow(() -> new RunProblems.NotFound(id.toString())))
                .call(run -> {
                    if (run.state().terminal()) {
                        throw new RunProblems.Conflict("the run is already " + run.state());
                    }
                    return runs.requestCancel(sql, run.id(), by)
                            .chain(() -> runs.appendEvent(sql, run.id(), now, run.state(), run.state(), "cancel requested by " + by, by))
                            .chain(() -> runs.nudge(sql, run.id(), now));
                }))
                .chain(run -> get(run.id()));
    }

    /**
     * Relays an operator's answer to the agent's pending question or approval, once: a request
     * already answered (here or through the operator queue) is a conflict, so the thread is never
     * answered twice. The request's queue item is closed with it.
     */
    public Uni<Run> answer(RunId id, String answer, String by) {
        Instant now = clock.instant();
        return pool.withTransaction(sql -> runs.findForUpdate(sql, id)
                .map(r -> r.orElseThrow(() -> new RunProblems.NotFound(id.toString())))
                .call(run -> {
                    Executor.PendingRequest pending = run.progress().pendingRequest();
                    if (run.state() != RunState.NEEDS_INPUT || pending == null) {
                        throw new RunProblems.Conflict("the agent is not waiting on a question (state " + run.state() + ")");
                    }
                    if (pending.kind() == Executor.PendingRequest.Kind.APPROVAL
                            && !answer.equals("accept") && !answer.equals("decline")) {
                        throw new RunProblems.Conflict("an approval is answered with 'accept' or 'decline'");
                    }
                    return runs.effects(sql, run.id(), false).chain(effects -> {
                        if (effects.stream().anyMatch(e -> e.effect() instanceof Effect.RelayAnswer relay
                                && relay.request().requestId().equals(pending.requestId()))) {
                            throw new RunProblems.Conflict("the agent's question is already answered; the answer is on its way");
                        }
                        return runs.appendEffects(sql, run.id(), List.of(new Effect.RelayAnswer(pending, answer)), now);
                    })
                            .chain(() -> runs.appendEvent(sql, run.id(), now, run.state(), run.state(),
                                    "answered by " + by + ": " + answer, by))
                            .chain(() -> runs.nudge(sql, run.id(), now));
                }))
                .call(run -> questions.answered(run, run.progress().pendingRequest(), answer, by))
                .chain(run -> get(run.id()));
    }

    public Uni<Optional<Run>> find(RunId id) {
        return runs.find(pool, id);
    }
}
