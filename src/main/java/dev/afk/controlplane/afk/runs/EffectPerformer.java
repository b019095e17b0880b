package dev.afk.controlplane.afk.runs;

import dev.afk.controlplane.afk.prompt.Prompts;
import dev.afk.controlplane.afk.repos.Landing;
import dev.afk.controlplane.afk.repos.Repo;
import dev.afk.controlplane.afk.repos.RepoAgent;
import dev.afk.controlplane.afk.repos.RepoStore;
import dev.afk.controlplane.afk.runs.RunStore.Fact;
import dev.afk.controlplane.executor.Executor;
import dev.afk.controlplane.notify.Doorbell;
import dev.afk.controlplane.tracker.IssueTracker;
import dev.afk.controlplane.tracker.PullRequest;
import dev.afk.controlplane.workspace.Workspaces;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;

/**
 * Performs one effect against the ports. Each is idempotent: ids are derived from the run, labels
 * are set-like, the checklist is edited by its stored id (or found by its marker when the id was
 * lost before it was stored), rings carry a dedup key.
 */
@ApplicationScoped
public class EffectPerformer {

    /** The timeline actor of the forge's answers to a merge. */
    static final String MERGE_ACTOR = "merge";

    private final Pool pool;
    private final RunStore runs;
    private final RepoStore repos;
    private final IssueTracker tracker;
    private final Executor executor;
    private final Doorbell doorbell;
    private final Workspaces workspaces;
    private final FailureDiagnosis diagnosis;
    private final RunQuestions questions;
    private final Clock clock;
    private final RepoAgent repoAgent;

    EffectPerformer(Pool pool, RunStore runs, RepoStore repos, IssueTracker tracker, Executor executor, Doorbell doorbell,
            Workspaces workspaces, FailureDiagnosis diagnosis, RunQuestions questions, Clock clock, RepoAgent repoAgent) {
        this.pool = pool;
        this.runs = runs;
        this.repos = repos;
        this.tracker = tracker;
        this.executor = executor;
        this.doorbell = doorbell;
        this.workspaces = workspaces;
        this.diagnosis = diagnosis;
        this.questions = questions;
        this.clock = clock;
        this.repoAgent = repoAgent;
    }

    public Uni<Void> perform(Effect effect, Run run, Repo repo) {
        return switch (effect) {
            case Effect.PrepareWorktree ignored -> workspaces
                    .prepare(new Workspaces.Request(run.repo(), repo.cloneUrl(), repo.defaultBranch(), run.id().toString(), run.issue()))
                    .chain(w -> runs.setFact(pool, run.id(), Fact.WORKTREE_PATH, w.path())
                            .chain(() -> runs.setFact(pool, run.id(), Fact.BRANCH, w.branch())));
            case Effect.StartWork ignored -> startWork(run, repo);
            case Effect.SendFixForward fix -> diagnosis.diagnose(run.repo(), run.id(), fix.sha(), fix.failing())
                    .call(diagnosed -> runs.appendEvent(pool, run.id(), clock.instant(), run.state(), run.state(),
                            diagnosed.note(), "ci-diagnosis"))
                    .chain(diagnosed -> executor.sendMessage(thread(run),
                            RunIds.command(run.id(), "fix-forward:" + fix.attempt()),
                            RunIds.message(run.id(), "fix-forward:" + fix.attempt()),
                            Prompts.fixForward(run.repo(), repo.defaultBranch(), run.id(), run.issue(), fix.sha(), fix.attempt(),
                                    run.settings().budgets().maxFixForwardAttempts(), fix.failing(), diagnosed.summary(),
                                    landing(run))));
            case Effect.RelayAnswer answer -> executor.answer(thread(run),
                    RunIds.command(run.id(), "answer:" + answer.request().requestId()), answer.request(), answer.answer());
            case Effect.AskOperator ask -> questions.asked(run, ask.request());
            case Effect.Interrupt interrupt -> run.executor().threadId() == null ? Uni.createFrom().voidItem()
                    : executor.interrupt(run.executor().threadId(), RunIds.command(run.id(), "interrupt:" + interrupt.purpose()));
            case Effect.AddLabels add -> tracker.addLabels(run.repo(), run.issue(), add.labels());
            case Effect.RemoveLabel remove -> tracker.removeLabel(run.repo(), run.issue(), remove.label());
            case Effect.CloseIssue ignored -> tracker.closeAsCompleted(run.repo(), run.issue());
            case Effect.UpdateChecklist ignored -> checklistComment(run)
                    .chain(existing -> tracker.upsertComment(run.repo(), run.issue(), existing, Checklist.render(run, link(run))))
                    .chain(id -> runs.setFact(pool, run.id(), Fact.CHECKLIST_COMMENT_ID, id));
            case Effect.Ring ring -> doorbell.ring(new Doorbell.Ring("run:" + run.id() + ":" + ring.dedupKey(), ring.kind(),
                    run.repo(), run.issue(), run.id().toString(), ring.title(), ring.message(), link(run),
                    repoAgent.agentOf(run.repo())));
            case Effect.ReleaseWorktree release -> workspaces.release(run.repo(), run.id().toString(), release.keep());
            case Effect.FreezeRepo ignored -> repos.freeze(pool, run.repo(), run.id(), clock.instant()).replaceWithVoid();
            case Effect.OpenPullRequest ignored -> tracker.openPullRequest(run.repo(), Landing.branch(run.issue(), run.id()),
                    repo.defaultBranch(), run.release().title(), pullRequestBody(run)).replaceWithVoid();
            case Effect.MergePullRequest merge -> merge(run, merge);
            case Effect.ResolveMergeRefusal fix -> runs.events(pool, run.id())
                    .map(events -> events.stream().filter(e -> MERGE_ACTOR.equals(e.actor())).reduce((a, b) -> b)
                            .map(RunStore.Event::detail).orElse(null))
                    .chain(reason -> executor.sendMessage(thread(run),
                            RunIds.command(run.id(), "merge-refused:" + fix.attempt()),
                            RunIds.message(run.id(), "merge-refused:" + fix.attempt()),
                            Prompts.mergeRefused(repo.defaultBranch(), run.id(), run.issue(), fix.number(), reason,
                                    fix.attempt(), run.settings().budgets().maxFixForwardAttempts(), landing(run))));
        };
    }

    /**
     * Merges unless it already is: a merge whose success a crash lost is not repeated. A refusal is
     * the forge's answer, recorded on the timeline (it is what the corrective turn is told).
     */
    private Uni<Void> merge(Run run, Effect.MergePullRequest merge) {
        return tracker.pullRequest(run.repo(), Landing.branch(run.issue(), run.id())).chain(current -> {
            if (current.filter(pull -> pull.state() == PullRequest.State.MERGED).isPresent()) {
                return Uni.createFrom().voidItem();
            }
            return tracker.merge(run.repo(), merge.number(), merge.sha(), merge.method()).chain(result ->
                    result.outcome() == PullRequest.MergeResult.Outcome.MERGED ? Uni.createFrom().voidItem()
                            : runs.appendEvent(pool, run.id(), clock.instant(), run.state(), run.state(),
                                    "merge of #" + merge.number() + " refused: " + result.reason(), MERGE_ACTOR));
        });
    }

    /** Links the issue without closing it (the pipeline closes it at DONE) and says which run opened it. */
    private String pullRequestBody(Run run) {
        URI link = link(run);
        return "Refs #" + run.issue() + "\n\nOpened by the AFK control plane for run `" + run.id() + "`"
                + (link == null ? "." : ": [the agent's thread](" + link + ")") + "\n\nIt merges this pull request itself "
                + "once CI is green; closing it cancels the run.\n";
    }

    private static Landing landing(Run run) {
        return run.settings().landing() == null ? Landing.PUSH : run.settings().landing();
    }

    private Uni<Void> startWork(Run run, Repo repo) {
        return executor.ensureProject(run.repo(), workspaces.checkoutPath(run.repo()))
                .call(projectId -> runs.setFact(pool, run.id(), Fact.PROJECT_ID, projectId))
                .chain(projectId -> executor.startWork(new Executor.StartWork(
                        projectId,
                        RunIds.thread(run.id()),
                        RunIds.command(run.id(), "thread.create"),
                        RunIds.command(run.id(), "turn.start"),
                        RunIds.message(run.id(), "turn.start"),
                        "#" + run.issue() + " " + run.release().title(),
                        repo.executorModel(),
                        run.workspace().branch(),
                        run.workspace().worktreePath(),
                        run.prompt())))
                .chain(() -> runs.setFact(pool, run.id(), Fact.THREAD_ID, RunIds.thread(run.id())));
    }

    /**
     * The stored id, or else a comment an earlier attempt created before a crash lost its id: the
     * lookup makes the create idempotent, and runs only until an id is stored.
     */
    private Uni<Optional<Long>> checklistComment(Run run) {
        return run.checklistCommentId() != null ? Uni.createFrom().item(Optional.of(run.checklistCommentId()))
                : tracker.findComment(run.repo(), run.issue(), Checklist.marker(run.id()));
    }

    private static String thread(Run run) {
        if (run.executor().threadId() == null) {
            throw new IllegalStateException("run " + run.id() + " has no thread yet");
        }
        return run.executor().threadId();
    }

    private URI link(Run run) {
        return run.executor().threadId() == null ? null : executor.deepLink(run.executor().threadId());
    }
}
