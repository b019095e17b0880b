package dev.afk.controlplane.afk.runs;

import static dev.afk.controlplane.afk.runs.RunState.AWAITING_CI;
import static dev.afk.controlplane.afk.runs.RunState.CANCELLED;
import static dev.afk.controlplane.afk.runs.RunState.DISPATCHING;
import static dev.afk.controlplane.afk.runs.RunState.DONE;
import static dev.afk.controlplane.afk.runs.RunState.ESCALATED;
import static dev.afk.controlplane.afk.runs.RunState.FIX_FORWARDING;
import static dev.afk.controlplane.afk.runs.RunState.FROZEN;
import static dev.afk.controlplane.afk.runs.RunState.NEEDS_INPUT;
import static dev.afk.controlplane.afk.runs.RunState.WORKING;

import dev.afk.controlplane.afk.repos.RepoLabels;
import dev.afk.controlplane.ci.CiVerdicts.Check;
import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.ci.CiVerdicts.Verdict;
import dev.afk.controlplane.executor.Executor.PendingRequest;
import dev.afk.controlplane.executor.Executor.ThreadObservation;
import dev.afk.controlplane.executor.Executor.ThreadStatus;
import dev.afk.controlplane.notify.Doorbell.Kind;
import dev.afk.controlplane.tracker.Commit;
import dev.afk.controlplane.tracker.PullRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The run's state machine as one pure function: {@code decide(run, observation)} → next progress
 * and effects. No I/O, no clock of its own; the reconciler persists the result and performs the
 * effects. Rules are checked in a fixed order, first match wins (see docs/pipeline.md).
 */
public final class RunDecision {

    private static final Set<ThreadStatus> FINISHED = EnumSet.of(
            ThreadStatus.IDLE_COMPLETED, ThreadStatus.ERRORED, ThreadStatus.INTERRUPTED, ThreadStatus.FAILED_TO_START);
    private static final Set<ThreadStatus> WAITING = EnumSet.of(
            ThreadStatus.WAITING_FOR_INPUT, ThreadStatus.WAITING_FOR_APPROVAL);

    private final Budgets budgets;
    private final RepoLabels labels;

    public RunDecision(Budgets budgets, RepoLabels labels) {
        this.budgets = budgets;
        this.labels = labels;
    }

    public Decision decide(Run run, Observation seen) {
        Progress p = run.progress();
        if (p.state().terminal()) {
            return stay(p);
        }
        Optional<Decision> stop = cancelled(run, seen).or(() -> failedEffect(run, seen));
        if (stop.isPresent()) {
            return stop.get();
        }
        return switch (p.state()) {
            case QUEUED -> dispatch(run);
            case DISPATCHING -> accepted(p, seen);
            default -> budgetSpent(run, seen).orElseGet(() -> switch (p.state()) {
                case WORKING, FIX_FORWARDING -> agentAtWork(run, seen);
                case NEEDS_INPUT -> awaitingAnswer(run, seen);
                case AWAITING_CI -> judge(run, seen);
                default -> throw new IllegalStateException("unhandled state " + p.state());
            });
        };
    }

    // --- cross-cutting rules -------------------------------------------------------------

    /** A human closed or unlabelled the issue, or an operator cancelled: stop the agent, release everything. */
    private Optional<Decision> cancelled(Run run, Observation seen) {
        Progress p = run.progress();
        String why;
        if (p.cancelRequestedBy() != null) {
            why = "cancelled by " + p.cancelRequestedBy();
        } else if (seen.issue().isEmpty()) {
            why = "the issue no longer exists";
        } else if (!seen.issue().get().open()) {
            why = "the issue was closed";
        } else if (!seen.issue().get().labels().contains(labels.ready())) {
            why = "the label " + labels.ready() + " was removed";
        } else if (seen.pullRequest().filter(pull -> pull.state() == PullRequest.State.CLOSED).isPresent()) {
            why = "the pull request #" + seen.pullRequest().get().number() + " was closed without merging";
        } else {
            return Optional.empty();
        }
        List<Effect> effects = new ArrayList<>();
        if (p.state() != RunState.QUEUED) {
            effects.add(new Effect.Interrupt("cancel"));
        }
        effects.add(new Effect.RemoveLabel(labels.inProgress()));
        // Every ending removes the release: a reopened issue needs a writer's new label.
        effects.add(new Effect.RemoveLabel(labels.ready()));
        effects.add(new Effect.UpdateChecklist());
        effects.add(new Effect.ReleaseWorktree(false));
        return Optional.of(finish(p, CANCELLED, seen.now(), why, effects));
    }

    private Optional<Decision> failedEffect(Run run, Observation seen) {
        return seen.failedEffect().map(what -> halt(run, seen, "an effect keeps failing: " + what));
    }

    /** Limits that hold in every state after dispatch. */
    private Optional<Decision> budgetSpent(Run run, Observation seen) {
        Progress p = run.progress();
        Instant now = seen.now();
        if (p.dispatchedAt() != null && elapsed(p.dispatchedAt(), now).compareTo(budgets.runWallClock()) >= 0) {
            return Optional.of(halt(run, seen, "run wall clock of " + human(budgets.runWallClock()) + " spent"));
        }
        ThreadObservation thread = seen.thread();
        Integer turns = thread.usage().turns();
        if (turns != null && turns > budgets.maxTurns()) {
            return Optional.of(halt(run, seen, "turn cap of " + budgets.maxTurns() + " exceeded (" + turns + ")"));
        }
        Double cost = thread.usage().costUsd();
        if (cost != null && cost > budgets.maxCostUsd()) {
            return Optional.of(halt(run, seen, String.format("cost cap of $%.2f exceeded ($%.2f)", budgets.maxCostUsd(), cost)));
        }
        boolean attemptRunning = p.state() == WORKING || p.state() == FIX_FORWARDING;
        if (attemptRunning && p.attemptStartedAt() != null
                && elapsed(p.attemptStartedAt(), now).compareTo(budgets.attemptWallClock()) >= 0) {
            return Optional.of(halt(run, seen, "attempt wall clock of " + human(budgets.attemptWallClock()) + " spent"));
        }
        if (attemptRunning && thread.status() == ThreadStatus.RUNNING) {
            Instant lastProgress = latest(thread.lastProgressAt(), p.attemptStartedAt());
            if (lastProgress != null && elapsed(lastProgress, now).compareTo(budgets.stallAfter()) >= 0) {
                return Optional.of(halt(run, seen, "stalled: no executor progress for " + human(budgets.stallAfter())));
            }
        }
        return Optional.empty();
    }

    // --- per state -----------------------------------------------------------------------

    private Decision dispatch(Run run) {
        Progress next = run.progress().edit().withState(DISPATCHING);
        return new Decision(next, List.of(
                new Effect.PrepareWorktree(),
                new Effect.StartWork(),
                // Only after the executor accepted the work, so a failed dispatch leaves no phantom lock.
                new Effect.AddLabels(Set.of(labels.inProgress())),
                new Effect.UpdateChecklist()), "dispatching to the executor");
    }

    /** The reconciler decides only once every effect is done: reaching here means the executor has the work. */
    private Decision accepted(Progress p, Observation seen) {
        Progress.Edit e = p.edit();
        e.dispatchedAt = seen.now();
        e.attemptStartedAt = seen.now();
        return new Decision(e.withState(WORKING), List.of(), "the executor accepted the work");
    }

    private Decision agentAtWork(Run run, Observation seen) {
        Progress p = run.progress();
        ThreadObservation thread = seen.thread();
        Optional<Commit> fresh = freshCommit(p, seen);
        if (fresh.isPresent()) {
            return awaitCi(run, seen, fresh.get(), "pushed " + shortSha(fresh.get().sha()));
        }
        if (p.state() == FIX_FORWARDING && elapsed(p.firstRedAt(), seen.now()).compareTo(budgets.fixForwardWindow()) >= 0) {
            return halt(run, seen, "fix-forward window of " + human(budgets.fixForwardWindow()) + " since the first red spent");
        }
        if (WAITING.contains(thread.status()) && !thread.pending().isEmpty()) {
            return askHuman(p, thread.pending().getFirst());
        }
        if (finishedWithoutPush(p, thread, seen.now())) {
            String how = thread.status() == ThreadStatus.IDLE_COMPLETED ? "finished" : thread.status().name().toLowerCase();
            String detail = thread.error() == null ? "" : ": " + thread.error();
            return halt(run, seen, p.state() == FIX_FORWARDING
                    ? "the corrective turn " + how + " without a newer commit" + detail
                    : "the agent " + how + " without pushing" + detail);
        }
        return track(p, thread);
    }

    private Decision awaitingAnswer(Run run, Observation seen) {
        Progress p = run.progress();
        ThreadObservation thread = seen.thread();
        Optional<Commit> fresh = freshCommit(p, seen);
        if (fresh.isPresent()) {
            return awaitCi(run, seen, fresh.get(), "pushed " + shortSha(fresh.get().sha()));
        }
        if (WAITING.contains(thread.status()) && !thread.pending().isEmpty()) {
            PendingRequest asked = thread.pending().getFirst();
            return asked.requestId().equals(p.pendingRequest() == null ? null : p.pendingRequest().requestId())
                    ? track(p, thread)
                    : askHuman(p, asked);
        }
        if (thread.status() == ThreadStatus.UNKNOWN) {
            return track(p, thread);
        }
        Progress.Edit e = p.edit();
        e.pendingRequest = null;
        e.attemptStartedAt = seen.now();
        RunState resume = p.waitingPastSha() != null ? FIX_FORWARDING : WORKING;
        return new Decision(e.withState(resume), List.of(new Effect.UpdateChecklist()), "the agent is no longer waiting");
    }

    private Decision judge(Run run, Observation seen) {
        Progress p = run.progress();
        Optional<PullRequest> merged = byPullRequest(run) ? seen.merged() : Optional.empty();
        if (merged.isPresent() && merged.get().mergeCommitSha() != null && !merged.get().mergeCommitSha().equals(p.commitSha())) {
            return landed(p, seen, merged.get());
        }
        Optional<Commit> newest = seen.newestCommit();
        if (newest.isPresent() && !newest.get().sha().equals(p.commitSha())) {
            return awaitCi(run, seen, newest.get(), "a newer commit " + shortSha(newest.get().sha()) + " arrived");
        }
        if (seen.verdict().isEmpty()) {
            return stay(p);
        }
        Verdict verdict = seen.verdict().get();
        boolean beforeMerge = byPullRequest(run) && merged.isEmpty();
        return switch (verdict.outcome()) {
            case GREEN -> beforeMerge ? merge(run, seen) : green(run, seen);
            case RED -> beforeMerge || !byPullRequest(run) ? red(run, seen, verdict)
                    : redAfterMerge(run, seen, merged.get(), verdict);
            case ACTION_REQUIRED -> halt(run, seen, "CI needs a human's approval to run: " + verdict.reason());
            case PENDING -> elapsed(p.ciSince(), seen.now()).compareTo(budgets.ciPendingLimit()) >= 0
                    ? halt(run, seen, "CI pending for longer than " + human(budgets.ciPendingLimit()))
                    : stay(p);
        };
    }

    // --- landing by pull request --------------------------------------------------------

    private static boolean byPullRequest(Run run) {
        return run.settings() != null && run.settings().byPullRequest();
    }

    /**
     * The pull request's head is green: merge it, unless that was asked already for this head and
     * the pull request is still open on it, which means the forge refused (a conflict, or a rule
     * of the branch's protection): the first refusal is a fix-forward attempt, the next one goes to
     * a human. A head the pull request does not show yet waits for the next look.
     */
    private Decision merge(Run run, Observation seen) {
        Progress p = run.progress();
        Optional<PullRequest> open = seen.pullRequest().filter(pull -> pull.state() == PullRequest.State.OPEN);
        if (open.isEmpty() || !p.commitSha().equals(open.get().headSha())) {
            return stay(p);
        }
        PullRequest pull = open.get();
        if (p.lastVerdict() == Outcome.GREEN) {
            boolean attemptsLeft = p.fixForwardAttempts() < budgets.maxFixForwardAttempts();
            if (seen.mergeRefusals() > 1 || !attemptsLeft) {
                return halt(run, seen, "the merge of pull request #" + pull.number() + " was refused "
                        + (seen.mergeRefusals() > 1 ? "again" : "and no fix-forward attempt is left")
                        + " (a conflict with the default branch, or its protection); the forge's answer is on the timeline");
            }
            return resolveRefusal(p, seen, pull);
        }
        Progress.Edit e = p.edit();
        // GREEN on the head marks the merge as asked: the next look sees it merged, or refused.
        e.lastVerdict = Outcome.GREEN;
        return new Decision(e.done(), List.of(
                new Effect.MergePullRequest(pull.number(), p.commitSha(), run.settings().landing().mergeMethod()),
                new Effect.UpdateChecklist()),
                "CI green on " + shortSha(p.commitSha()) + ": merging pull request #" + pull.number());
    }

    /** A corrective turn on the same branch; judged again only on a newer commit, as after a red. */
    private Decision resolveRefusal(Progress p, Observation seen, PullRequest pull) {
        Progress.Edit e = p.edit();
        e.fixForwardAttempts = p.fixForwardAttempts() + 1;
        e.waitingPastSha = p.commitSha();
        e.fixSentAt = seen.now();
        e.attemptStartedAt = seen.now();
        return new Decision(e.withState(FIX_FORWARDING), List.of(
                new Effect.ResolveMergeRefusal(e.fixForwardAttempts, pull.number()),
                new Effect.UpdateChecklist()),
                "the merge of pull request #" + pull.number() + " was refused: fix-forward attempt " + e.fixForwardAttempts
                        + " of " + budgets.maxFixForwardAttempts());
    }

    /** Merged: from now on the run waits on the merge commit's CI and deploy, like a pushed commit. */
    private static Decision landed(Progress p, Observation seen, PullRequest pull) {
        Progress.Edit e = p.edit();
        e.commitSha = pull.mergeCommitSha();
        e.ciSince = seen.now();
        e.lastVerdict = null;
        return new Decision(e.withState(AWAITING_CI), List.of(new Effect.UpdateChecklist()),
                "merged #" + pull.number() + " as " + shortSha(pull.mergeCommitSha()));
    }

    /**
     * Red on the default branch after the merge: fixing forward would take another pull request, a
     * decision for a human, so the repository freezes at once (no revert).
     */
    private Decision redAfterMerge(Run run, Observation seen, PullRequest pull, Verdict verdict) {
        Progress.Edit e = run.progress().edit();
        e.lastVerdict = Outcome.RED;
        e.firstRedAt = run.progress().firstRedAt() != null ? run.progress().firstRedAt() : seen.now();
        return haltWith(run, e.done(), seen, "red on the default branch after merging #" + pull.number() + ": "
                + (verdict.reason() == null ? "CI is red" : verdict.reason()));
    }

    /** DONE says what was judged: a rollout only where the run's stages include one. */
    private Decision green(Run run, Observation seen) {
        Progress p = run.progress();
        Progress.Edit e = p.edit();
        e.lastVerdict = Outcome.GREEN;
        boolean rollout = run.settings() == null || run.settings().ciStages().contains(Stage.ROLLOUT);
        String sha = shortSha(p.commitSha());
        return finish(e.done(), DONE, seen.now(), (rollout ? "CI and rollout green on " : "CI green on ") + sha, List.of(
                new Effect.UpdateChecklist(),
                new Effect.RemoveLabel(labels.inProgress()),
                new Effect.RemoveLabel(labels.ready()),
                new Effect.CloseIssue(),
                ring(run, Kind.DONE, "done", rollout ? "deployed " + sha + " and CI is green" : "CI is green on " + sha),
                new Effect.ReleaseWorktree(false)));
    }

    private Decision red(Run run, Observation seen, Verdict verdict) {
        Progress p = run.progress();
        Progress.Edit e = p.edit();
        e.lastVerdict = Outcome.RED;
        // The window starts at the first red of the run, not at dispatch (G14).
        e.firstRedAt = p.firstRedAt() != null ? p.firstRedAt() : seen.now();
        boolean attemptsLeft = p.fixForwardAttempts() < budgets.maxFixForwardAttempts();
        boolean inWindow = elapsed(e.firstRedAt, seen.now()).compareTo(budgets.fixForwardWindow()) < 0;
        String failing = verdict.reason() == null ? "CI is red" : verdict.reason();
        if (!attemptsLeft || !inWindow) {
            String why = !attemptsLeft
                    ? "red after " + p.fixForwardAttempts() + " fix-forward attempts: " + failing
                    : "red and the fix-forward window of " + human(budgets.fixForwardWindow()) + " is spent: " + failing;
            return haltWith(run, e.done(), seen, why);
        }
        e.fixForwardAttempts = p.fixForwardAttempts() + 1;
        // Judge again only on a commit newer than this one (G2).
        e.waitingPastSha = p.commitSha();
        e.fixSentAt = seen.now();
        e.attemptStartedAt = seen.now();
        List<Check> checks = verdict.checks() == null ? List.of() : verdict.checks();
        return new Decision(e.withState(FIX_FORWARDING), List.of(
                new Effect.SendFixForward(e.fixForwardAttempts, p.commitSha(), checks),
                new Effect.UpdateChecklist()),
                "CI red on " + shortSha(p.commitSha()) + ": fix-forward attempt " + e.fixForwardAttempts
                        + " of " + budgets.maxFixForwardAttempts());
    }

    // --- building blocks -----------------------------------------------------------------

    /** A commit of this run newer than the one a corrective turn is fixing. */
    private static Optional<Commit> freshCommit(Progress p, Observation seen) {
        return seen.newestCommit().filter(c -> !c.sha().equals(p.waitingPastSha()));
    }

    private boolean finishedWithoutPush(Progress p, ThreadObservation thread, Instant now) {
        if (!FINISHED.contains(thread.status())) {
            return false;
        }
        if (thread.status() == ThreadStatus.FAILED_TO_START) {
            return true;
        }
        Instant last = thread.lastProgressAt();
        if (p.state() == FIX_FORWARDING && (last == null || !last.isAfter(p.fixSentAt()))) {
            return false; // still the turn before the corrective message: it has not started yet
        }
        Instant since = last != null ? last : p.attemptStartedAt();
        return since == null || elapsed(since, now).compareTo(budgets.pushGrace()) >= 0;
    }

    /**
     * A commit to judge. A pull-request run's commit is on its own branch: its pull request is
     * opened (idempotently) unless it is seen open, and the head's verdict starts afresh.
     */
    private Decision awaitCi(Run run, Observation seen, Commit commit, String event) {
        Progress.Edit e = run.progress().edit();
        e.commitSha = commit.sha();
        e.ciSince = seen.now();
        e.pendingRequest = null;
        List<Effect> effects = new ArrayList<>();
        if (byPullRequest(run)) {
            e.lastVerdict = null;
            if (seen.pullRequest().filter(pull -> pull.state() == PullRequest.State.OPEN).isEmpty()) {
                effects.add(new Effect.OpenPullRequest());
            }
        }
        effects.add(new Effect.UpdateChecklist());
        return new Decision(e.withState(AWAITING_CI), effects, event);
    }

    private Decision askHuman(Progress p, PendingRequest asked) {
        Progress.Edit e = p.edit();
        e.pendingRequest = asked;
        String what = asked.kind() == PendingRequest.Kind.APPROVAL ? "approval" : "question";
        return new Decision(e.withState(NEEDS_INPUT), List.of(
                new Effect.UpdateChecklist(),
                new Effect.Ring(Kind.NEEDS_HUMAN, "question:" + asked.requestId(), "agent waits on a " + what,
                        asked.text()),
                new Effect.AskOperator(asked)), "the agent waits on a " + what + ": " + asked.text());
    }

    /**
     * Hands the run to a human. Red on the default branch freezes the repository (no revert, G4);
     * anything else escalates. Both swap the agent labels for the human one.
     */
    private Decision halt(Run run, Observation seen, String why) {
        return haltWith(run, run.progress(), seen, why);
    }

    private Decision haltWith(Run run, Progress p, Observation seen, String why) {
        // A pull request's red head broke nothing: only what reached the default branch freezes.
        boolean redOnBranch = p.commitSha() != null && p.lastVerdict() == Outcome.RED
                && (!byPullRequest(run) || seen.merged().isPresent());
        RunState to = redOnBranch ? FROZEN : ESCALATED;
        List<Effect> effects = new ArrayList<>();
        if (run.progress().state().agentMayBeRunning()) {
            effects.add(new Effect.Interrupt(to.name().toLowerCase()));
        }
        effects.add(new Effect.RemoveLabel(labels.ready()));
        effects.add(new Effect.RemoveLabel(labels.inProgress()));
        effects.add(new Effect.AddLabels(Set.of(labels.human())));
        if (to == FROZEN) {
            effects.add(new Effect.FreezeRepo());
        }
        effects.add(new Effect.UpdateChecklist());
        effects.add(to == FROZEN
                ? ring(run, Kind.FROZEN, "frozen", "repository frozen on a broken deploy: " + why)
                : ring(run, Kind.NEEDS_HUMAN, "escalated", "escalated: " + why));
        // Kept for forensics and for whoever picks the issue up.
        effects.add(new Effect.ReleaseWorktree(true));
        return finish(p, to, seen.now(), why, effects);
    }

    private static Effect.Ring ring(Run run, Kind kind, String key, String message) {
        // The doorbell's channels put the issue reference (owner/name#N) in front of the title themselves.
        return new Effect.Ring(kind, key, run.release().title(), message);
    }

    private static Decision finish(Progress p, RunState to, Instant now, String why, List<Effect> effects) {
        Progress.Edit e = p.edit();
        e.outcomeReason = why;
        e.finishedAt = now;
        e.pendingRequest = null;
        return new Decision(e.withState(to), effects, why);
    }

    /** Keeps the usage figures current without a timeline entry. */
    private static Decision track(Progress p, ThreadObservation thread) {
        Progress.Edit e = p.edit();
        if (thread.usage().turns() != null) {
            e.turns = thread.usage().turns();
        }
        if (thread.usage().costUsd() != null) {
            e.costUsd = thread.usage().costUsd();
        }
        if (thread.lastProgressAt() != null) {
            e.lastProgressAt = thread.lastProgressAt();
        }
        return new Decision(e.done(), List.of(), null);
    }

    private static Decision stay(Progress p) {
        return new Decision(p, List.of(), null);
    }

    private static Duration elapsed(Instant since, Instant now) {
        return since == null ? Duration.ZERO : Duration.between(since, now);
    }

    private static Instant latest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    static String shortSha(String sha) {
        return sha == null ? "?" : sha.substring(0, Math.min(7, sha.length()));
    }

    static String human(Duration d) {
        return d.toMinutes() >= 60 && d.toMinutes() % 60 == 0 ? d.toHours() + "h" : d.toMinutes() + "m";
    }
}
