package dev.afk.controlplane.afk.runs;

import static dev.afk.controlplane.afk.runs.RunState.AWAITING_CI;
import static dev.afk.controlplane.afk.runs.RunState.CANCELLED;
import static dev.afk.controlplane.afk.runs.RunState.DISPATCHING;
import static dev.afk.controlplane.afk.runs.RunState.DONE;
import static dev.afk.controlplane.afk.runs.RunState.ESCALATED;
import static dev.afk.controlplane.afk.runs.RunState.FIX_FORWARDING;
import static dev.afk.controlplane.afk.runs.RunState.FROZEN;
import static dev.afk.controlplane.afk.runs.RunState.NEEDS_INPUT;
import static dev.afk.controlplane.afk.runs.RunState.QUEUED;
import static dev.afk.controlplane.afk.runs.RunState.WORKING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.afk.repos.RepoLabels;
import dev.afk.controlplane.ci.CiVerdicts.Check;
import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.ci.CiVerdicts.Verdict;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.common.RunId;
import dev.afk.controlplane.executor.Executor.PendingRequest;
import dev.afk.controlplane.executor.Executor.ThreadObservation;
import dev.afk.controlplane.executor.Executor.ThreadStatus;
import dev.afk.controlplane.executor.Executor.Usage;
import dev.afk.controlplane.notify.Doorbell.Kind;
import dev.afk.controlplane.tracker.Commit;
import dev.afk.controlplane.tracker.Issue;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RunDecisionTests {

    static final RepoSlug REPO = RepoSlug.parse("acme/shop");
    static final RepoLabels LABELS = new RepoLabels("ready-for-agent", "agent-in-progress", "ready-for-human");
    static final Budgets BUDGETS = new Budgets(5, Duration.ofMinutes(60), Duration.ofHours(6), Duration.ofHours(2),
            Duration.ofMinutes(20), 50, 100.0, Duration.ofMinutes(45), Duration.ofMinutes(2));
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    static final RunId RUN = RunId.parse("0b9e6a8e-0000-4000-8000-000000000001");
    static final RunDecision DECISION = new RunDecision(BUDGETS, LABELS);

    // --- helpers ---------------------------------------------------------------------------

    static Run run(RunState state, Consumer<Progress.Edit> tweak) {
        Progress.Edit e = Progress.queued().edit();
        e.state = state;
        if (state != QUEUED && state != DISPATCHING) {
            e.dispatchedAt = T0;
            e.attemptStartedAt = T0;
        }
        tweak.accept(e);
        return new Run(RUN, new Run.Release(REPO, 7, "Add a basket", "alice", T0), "prompt", null, T0, null, e.done(),
                new Run.ExecutorRefs("project", RunIds.thread(RUN)), new Run.Workspace("/w/" + RUN, "afk/7"), null, 0);
    }

    static Run run(RunState state) {
        return run(state, e -> {});
    }

    static Observation seen(Instant now, ThreadObservation thread, Commit newest, Verdict verdict) {
        return new Observation(now, Optional.of(openIssue()), thread, Optional.ofNullable(newest),
                Optional.ofNullable(verdict), Optional.empty());
    }

    static Observation seen(Instant now, ThreadObservation thread) {
        return seen(now, thread, null, null);
    }

    static Issue openIssue() {
        return new Issue(REPO, 7, "Add a basket", "body", true, Set.of("ready-for-agent", "agent-in-progress"), T0);
    }

    static ThreadObservation thread(ThreadStatus status, Instant lastProgress) {
        return new ThreadObservation(status, List.of(), Usage.UNKNOWN, lastProgress, null);
    }

    static ThreadObservation running(Instant lastProgress) {
        return thread(ThreadStatus.RUNNING, lastProgress);
    }

    static Commit commit(String sha, Instant at) {
        return new Commit(sha, "msg\n\nAFK-Run: " + RUN, Map.of("AFK-Run", List.of(RUN.toString())), at);
    }

    static Verdict verdict(Outcome outcome) {
        return new Verdict(outcome, List.of(new Check(Stage.GITHUB_ACTIONS, "test", outcome, URI.create("https://ci/1"), "boom")),
                outcome.name().toLowerCase());
    }

    static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    static List<Class<?>> kinds(Decision d) {
        return d.effects().stream().<Class<?>>map(Object::getClass).toList();
    }

    // --- tests -----------------------------------------------------------------------------

    @Test
    void queuedDispatchesWorktreeThenThreadThenLabelsInThatOrder() {
        Decision d = DECISION.decide(run(QUEUED), seen(T0, ThreadObservation.unknown()));
        assertThat(d.next().state()).isEqualTo(DISPATCHING);
        assertThat(kinds(d)).containsExactly(Effect.PrepareWorktree.class, Effect.StartWork.class,
                Effect.AddLabels.class, Effect.UpdateChecklist.class);
        assertThat(d.effects().get(2)).isEqualTo(new Effect.AddLabels(Set.of("agent-in-progress")));
    }

    @Test
    void dispatchingBecomesWorkingOnceTheExecutorHasTheWork() {
        Decision d = DECISION.decide(run(DISPATCHING), seen(at(1), running(at(1))));
        assertThat(d.next().state()).isEqualTo(WORKING);
        assertThat(d.next().dispatchedAt()).isEqualTo(at(1));
        assertThat(d.next().attemptStartedAt()).isEqualTo(at(1));
        assertThat(d.event()).isNotNull();
    }

    @Test
    void workingWaitsWhileTheAgentRuns() {
        Decision d = DECISION.decide(run(WORKING), seen(at(5), running(at(4))));
        assertThat(d.next().state()).isEqualTo(WORKING);
        assertThat(d.effects()).isEmpty();
        assertThat(d.event()).isNull();
    }

    @Test
    void aPushedCommitMovesToAwaitingCi() {
        Decision d = DECISION.decide(run(WORKING), seen(at(5), running(at(4)), commit("abc1234", at(4)), null));
        assertThat(d.next().state()).isEqualTo(AWAITING_CI);
        assertThat(d.next().commitSha()).isEqualTo("abc1234");
        assertThat(d.next().ciSince()).isEqualTo(at(5));
    }

    @Test
    void greenClosesTheIssueAndRingsDone() {
        Run r = run(AWAITING_CI, e -> { e.commitSha = "abc"; e.ciSince = at(5); });
        Decision d = DECISION.decide(r, seen(at(10), thread(ThreadStatus.IDLE_COMPLETED, at(5)), commit("abc", at(5)),
                verdict(Outcome.GREEN)));
        assertThat(d.next().state()).isEqualTo(DONE);
        assertThat(d.next().finishedAt()).isEqualTo(at(10));
        assertThat(kinds(d)).containsExactly(Effect.UpdateChecklist.class, Effect.RemoveLabel.class, Effect.RemoveLabel.class,
                Effect.CloseIssue.class, Effect.Ring.class, Effect.ReleaseWorktree.class);
        // The release ends with the run: a reopened issue needs a writer's new label.
        assertThat(d.effects()).contains(new Effect.RemoveLabel("agent-in-progress"), new Effect.RemoveLabel("ready-for-agent"),
                new Effect.ReleaseWorktree(false));
        assertThat(((Effect.Ring) d.effects().get(4)).kind()).isEqualTo(Kind.DONE);
    }

    @Test
    void pendingWaitsUntilItsLimitThenEscalates() {
        Run r = run(AWAITING_CI, e -> { e.commitSha = "abc"; e.ciSince = at(0); });
        Commit c = commit("abc", at(0));
        assertThat(DECISION.decide(r, seen(at(44), thread(ThreadStatus.IDLE_COMPLETED, at(0)), c, verdict(Outcome.PENDING)))
                .next().state()).isEqualTo(AWAITING_CI);
        Decision d = DECISION.decide(r, seen(at(45), thread(ThreadStatus.IDLE_COMPLETED, at(0)), c, verdict(Outcome.PENDING)));
        assertThat(d.next().state()).isEqualTo(ESCALATED);
        assertThat(d.next().outcomeReason()).contains("pending");
    }

    @Test
    void actionRequiredEscalatesAtOnce() {
        Run r = run(AWAITING_CI, e -> { e.commitSha = "abc"; e.ciSince = at(0); });
        Decision d = DECISION.decide(r, seen(at(1), thread(ThreadStatus.IDLE_COMPLETED, at(0)), commit("abc", at(0)),
                verdict(Outcome.ACTION_REQUIRED)));
        assertThat(d.next().state()).isEqualTo(ESCALATED);
        assertThat(d.effects()).contains(new Effect.AddLabels(Set.of("ready-for-human")), new Effect.RemoveLabel("ready-for-agent"));
    }

    @Test
    void noVerdictYetWaits() {
        Run r = run(AWAITING_CI, e -> { e.commitSha = "abc"; e.ciSince = at(0); });
        Decision d = DECISION.decide(r, seen(at(1), thread(ThreadStatus.IDLE_COMPLETED, at(0)), commit("abc", at(0)), null));
        assertThat(d.changes(r.progress())).isFalse();
    }

    @Test
    void aNewerCommitWhileAwaitingCiIsJudgedInstead() {
        Run r = run(AWAITING_CI, e -> { e.commitSha = "abc"; e.ciSince = at(0); });
        Decision d = DECISION.decide(r, seen(at(3), thread(ThreadStatus.IDLE_COMPLETED, at(0)), commit("def", at(2)),
                verdict(Outcome.RED)));
        assertThat(d.next().state()).isEqualTo(AWAITING_CI);
        assertThat(d.next().commitSha()).isEqualTo("def");
        assertThat(d.next().ciSince()).isEqualTo(at(3));
    }

    @Nested
    class FixForward {

        Run red(int attempts, Instant firstRed, String sha) {
            return run(AWAITING_CI, e -> {
                e.commitSha = sha;
                e.ciSince = at(0);
                e.fixForwardAttempts = attempts;
                e.firstRedAt = firstRed;
                e.lastVerdict = firstRed == null ? null : Outcome.RED;
            });
        }

        @Test
        void firstRedStartsTheWindowAndSendsACorrectiveTurn() {
            Decision d = DECISION.decide(red(0, null, "abc"), seen(at(10), thread(ThreadStatus.IDLE_COMPLETED, at(5)),
                    commit("abc", at(5)), verdict(Outcome.RED)));
            assertThat(d.next().state()).isEqualTo(FIX_FORWARDING);
            assertThat(d.next().firstRedAt()).isEqualTo(at(10));
            assertThat(d.next().fixForwardAttempts()).isEqualTo(1);
            assertThat(d.next().waitingPastSha()).isEqualTo("abc");
            assertThat(d.next().fixSentAt()).isEqualTo(at(10));
            Effect.SendFixForward send = (Effect.SendFixForward) d.effects().getFirst();
            assertThat(send.attempt()).isEqualTo(1);
            assertThat(send.sha()).isEqualTo("abc");
            assertThat(send.failing()).extracting(Check::name).containsExactly("test");
        }

        @Test
        void theWindowCountsFromTheFirstRedNotFromDispatch() {
            // Dispatched hours ago, first red 59 minutes ago: still inside the window.
            Run r = red(2, at(100), "abc");
            Decision d = DECISION.decide(r, seen(at(159), thread(ThreadStatus.IDLE_COMPLETED, at(150)),
                    commit("abc", at(150)), verdict(Outcome.RED)));
            assertThat(d.next().state()).isEqualTo(FIX_FORWARDING);
            assertThat(d.next().firstRedAt()).isEqualTo(at(100));
        }

        @Test
        void sixtyMinutesAfterTheFirstRedFreezes() {
            Decision d = DECISION.decide(red(1, at(0), "abc"), seen(at(60), thread(ThreadStatus.IDLE_COMPLETED, at(50)),
                    commit("abc", at(50)), verdict(Outcome.RED)));
            assertThat(d.next().state()).isEqualTo(FROZEN);
            assertThat(kinds(d)).contains(Effect.FreezeRepo.class);
            assertThat(d.effects()).contains(new Effect.ReleaseWorktree(true), new Effect.RemoveLabel("ready-for-agent"),
                    new Effect.RemoveLabel("agent-in-progress"), new Effect.AddLabels(Set.of("ready-for-human")));
            assertThat(d.effects()).filteredOn(Effect.Ring.class::isInstance)
                    .extracting(e -> ((Effect.Ring) e).kind()).containsExactly(Kind.FROZEN);
            assertThat(kinds(d)).doesNotContain(Effect.Interrupt.class);
        }

        @Test
        void fiveAttemptsSpentFreezes() {
            Decision d = DECISION.decide(red(5, at(0), "abc"), seen(at(30), thread(ThreadStatus.IDLE_COMPLETED, at(25)),
                    commit("abc", at(25)), verdict(Outcome.RED)));
            assertThat(d.next().state()).isEqualTo(FROZEN);
            assertThat(d.next().outcomeReason()).contains("5 fix-forward attempts");
        }

        @Test
        void theSameRedCommitIsNeverJudgedTwice() {
            Run r = run(FIX_FORWARDING, e -> {
                e.commitSha = "abc";
                e.waitingPastSha = "abc";
                e.fixForwardAttempts = 1;
                e.firstRedAt = at(10);
                e.fixSentAt = at(10);
                e.lastVerdict = Outcome.RED;
                e.attemptStartedAt = at(10);
            });
            Decision d = DECISION.decide(r, seen(at(12), running(at(11)), commit("abc", at(5)), verdict(Outcome.RED)));
            assertThat(d.next().state()).isEqualTo(FIX_FORWARDING);
            assertThat(d.effects()).isEmpty();
            assertThat(d.next().fixForwardAttempts()).isEqualTo(1);
        }

        @Test
        void aNewerCommitAfterTheCorrectiveTurnIsJudged() {
            Run r = run(FIX_FORWARDING, e -> {
                e.commitSha = "abc";
                e.waitingPastSha = "abc";
                e.fixForwardAttempts = 1;
                e.firstRedAt = at(10);
                e.fixSentAt = at(10);
                e.lastVerdict = Outcome.RED;
            });
            Decision d = DECISION.decide(r, seen(at(20), running(at(19)), commit("def", at(19)), null));
            assertThat(d.next().state()).isEqualTo(AWAITING_CI);
            assertThat(d.next().commitSha()).isEqualTo("def");
            assertThat(d.next().firstRedAt()).isEqualTo(at(10));
        }

        @Test
        void theIdleThreadFromBeforeTheCorrectiveMessageIsNotAnEnding() {
            Run r = run(FIX_FORWARDING, e -> {
                e.commitSha = "abc";
                e.waitingPastSha = "abc";
                e.fixForwardAttempts = 1;
                e.firstRedAt = at(10);
                e.fixSentAt = at(10);
                e.lastVerdict = Outcome.RED;
                e.attemptStartedAt = at(10);
            });
            Decision d = DECISION.decide(r, seen(at(15), thread(ThreadStatus.IDLE_COMPLETED, at(5)), commit("abc", at(5)), null));
            assertThat(d.next().state()).isEqualTo(FIX_FORWARDING);
        }

        @Test
        void aCorrectiveTurnEndingWithoutANewCommitFreezes() {
            Run r = run(FIX_FORWARDING, e -> {
                e.commitSha = "abc";
                e.waitingPastSha = "abc";
                e.fixForwardAttempts = 1;
                e.firstRedAt = at(10);
                e.fixSentAt = at(10);
                e.lastVerdict = Outcome.RED;
                e.attemptStartedAt = at(10);
            });
            Decision d = DECISION.decide(r, seen(at(25), thread(ThreadStatus.IDLE_COMPLETED, at(20)), commit("abc", at(5)), null));
            assertThat(d.next().state()).isEqualTo(FROZEN);
            assertThat(d.next().outcomeReason()).contains("without a newer commit");
        }

        @Test
        void theWindowAlsoRunsOutWhileTheCorrectiveTurnWorks() {
            Run r = run(FIX_FORWARDING, e -> {
                e.commitSha = "abc";
                e.waitingPastSha = "abc";
                e.fixForwardAttempts = 1;
                e.firstRedAt = at(0);
                e.fixSentAt = at(0);
                e.lastVerdict = Outcome.RED;
                e.attemptStartedAt = at(0);
            });
            Decision d = DECISION.decide(r, seen(at(60), running(at(59))));
            assertThat(d.next().state()).isEqualTo(FROZEN);
            assertThat(kinds(d)).contains(Effect.Interrupt.class, Effect.FreezeRepo.class);
        }
    }

    @Nested
    class PrePush {

        @Test
        void finishedWithoutPushingEscalatesAfterTheGrace() {
            Run r = run(WORKING);
            assertThat(DECISION.decide(r, seen(at(11), thread(ThreadStatus.IDLE_COMPLETED, at(10)))).next().state())
                    .isEqualTo(WORKING);
            Decision d = DECISION.decide(r, seen(at(12), thread(ThreadStatus.IDLE_COMPLETED, at(10))));
            assertThat(d.next().state()).isEqualTo(ESCALATED);
            assertThat(d.effects()).contains(new Effect.RemoveLabel("ready-for-agent"),
                    new Effect.RemoveLabel("agent-in-progress"), new Effect.AddLabels(Set.of("ready-for-human")),
                    new Effect.ReleaseWorktree(true));
            assertThat(kinds(d)).doesNotContain(Effect.FreezeRepo.class);
            assertThat(d.effects()).filteredOn(Effect.Ring.class::isInstance)
                    .extracting(e -> ((Effect.Ring) e).kind()).containsExactly(Kind.NEEDS_HUMAN);
        }

        @Test
        void erroredCarriesTheExecutorsError() {
            ThreadObservation errored = new ThreadObservation(ThreadStatus.ERRORED, List.of(), Usage.UNKNOWN, at(1), "rate limited");
            Decision d = DECISION.decide(run(WORKING), seen(at(5), errored));
            assertThat(d.next().state()).isEqualTo(ESCALATED);
            assertThat(d.next().outcomeReason()).contains("errored").contains("rate limited");
        }

        @Test
        void failedToStartEscalatesAtOnce() {
            Decision d = DECISION.decide(run(WORKING), seen(at(0), thread(ThreadStatus.FAILED_TO_START, at(0))));
            assertThat(d.next().state()).isEqualTo(ESCALATED);
        }

        @Test
        void anUnknownThreadIsNeverActedOn() {
            Decision d = DECISION.decide(run(WORKING), seen(at(30), ThreadObservation.unknown()));
            assertThat(d.next().state()).isEqualTo(WORKING);
            assertThat(d.effects()).isEmpty();
        }
    }

    @Nested
    class Questions {

        final PendingRequest question = new PendingRequest("q1", PendingRequest.Kind.QUESTION, "Which DB?", List.of("a"));

        ThreadObservation waiting(PendingRequest request) {
            return new ThreadObservation(ThreadStatus.WAITING_FOR_INPUT, List.of(request), Usage.UNKNOWN, at(3), null);
        }

        @Test
        void aQuestionRingsTheDoorbellOncePerRequest() {
            Decision d = DECISION.decide(run(WORKING), seen(at(4), waiting(question)));
            assertThat(d.next().state()).isEqualTo(NEEDS_INPUT);
            assertThat(d.next().pendingRequest()).isEqualTo(question);
            Effect.Ring ring = (Effect.Ring) d.effects().get(1);
            assertThat(ring.kind()).isEqualTo(Kind.NEEDS_HUMAN);
            assertThat(ring.dedupKey()).isEqualTo("question:q1");
            assertThat(ring.message()).isEqualTo("Which DB?");

            Run asked = run(NEEDS_INPUT, e -> e.pendingRequest = question);
            Decision again = DECISION.decide(asked, seen(at(50), waiting(question)));
            assertThat(again.effects()).isEmpty();
            assertThat(again.next().state()).isEqualTo(NEEDS_INPUT);
        }

        @Test
        void waitingOnAHumanIsNotAStall() {
            Run asked = run(NEEDS_INPUT, e -> e.pendingRequest = question);
            Decision d = DECISION.decide(asked, seen(at(119), waiting(question)));
            assertThat(d.next().state()).isEqualTo(NEEDS_INPUT);
        }

        @Test
        void aSecondQuestionRingsAgain() {
            Run asked = run(NEEDS_INPUT, e -> e.pendingRequest = question);
            PendingRequest other = new PendingRequest("q2", PendingRequest.Kind.APPROVAL, "rm -rf?", List.of());
            Decision d = DECISION.decide(asked, seen(at(5), waiting(other)));
            assertThat(d.next().pendingRequest()).isEqualTo(other);
            assertThat(d.effects()).filteredOn(Effect.Ring.class::isInstance)
                    .extracting(e -> ((Effect.Ring) e).dedupKey()).containsExactly("question:q2");
        }

        @Test
        void answeredResumesWorkingWithAFreshAttemptClock() {
            Run asked = run(NEEDS_INPUT, e -> e.pendingRequest = question);
            Decision d = DECISION.decide(asked, seen(at(30), running(at(30))));
            assertThat(d.next().state()).isEqualTo(WORKING);
            assertThat(d.next().pendingRequest()).isNull();
            assertThat(d.next().attemptStartedAt()).isEqualTo(at(30));
        }

        @Test
        void answeredDuringFixForwardResumesFixForwarding() {
            Run asked = run(NEEDS_INPUT, e -> {
                e.pendingRequest = question;
                e.waitingPastSha = "abc";
                e.commitSha = "abc";
                e.firstRedAt = at(0);
            });
            assertThat(DECISION.decide(asked, seen(at(5), running(at(5)))).next().state()).isEqualTo(FIX_FORWARDING);
        }

        @Test
        void aPushWhileWaitingGoesToCi() {
            Run asked = run(NEEDS_INPUT, e -> e.pendingRequest = question);
            Decision d = DECISION.decide(asked, seen(at(5), waiting(question), commit("abc", at(4)), null));
            assertThat(d.next().state()).isEqualTo(AWAITING_CI);
            assertThat(d.next().pendingRequest()).isNull();
        }
    }

    @Nested
    class Cancellation {

        @ParameterizedTest
        @EnumSource(value = RunState.class, names = {"QUEUED", "DISPATCHING", "WORKING", "NEEDS_INPUT", "AWAITING_CI", "FIX_FORWARDING"})
        void closingTheIssueCancelsFromEveryActiveState(RunState state) {
            Issue closed = new Issue(REPO, 7, "t", "b", false, Set.of("ready-for-agent"), T0);
            Observation o = new Observation(at(5), Optional.of(closed), running(at(5)), Optional.empty(), Optional.empty(), Optional.empty());
            Decision d = DECISION.decide(run(state), o);
            assertThat(d.next().state()).isEqualTo(CANCELLED);
            assertThat(d.next().outcomeReason()).contains("closed");
            assertThat(d.effects()).contains(new Effect.RemoveLabel("agent-in-progress"), new Effect.ReleaseWorktree(false));
            assertThat(d.effects().contains(new Effect.Interrupt("cancel"))).isEqualTo(state != QUEUED);
            // Otherwise a triager could reopen the issue and have it dispatched on the old label.
            assertThat(d.effects()).contains(new Effect.RemoveLabel("ready-for-agent"));
        }

        @Test
        void removingTheReadyLabelCancels() {
            Issue unlabelled = new Issue(REPO, 7, "t", "b", true, Set.of("agent-in-progress"), T0);
            Observation o = new Observation(at(5), Optional.of(unlabelled), running(at(5)), Optional.empty(), Optional.empty(), Optional.empty());
            Decision d = DECISION.decide(run(WORKING), o);
            assertThat(d.next().state()).isEqualTo(CANCELLED);
            assertThat(d.next().outcomeReason()).contains("removed");
        }

        @Test
        void aDeletedIssueCancels() {
            Observation o = new Observation(at(5), Optional.empty(), running(at(5)), Optional.empty(), Optional.empty(), Optional.empty());
            assertThat(DECISION.decide(run(WORKING), o).next().state()).isEqualTo(CANCELLED);
        }

        @Test
        void anOperatorCancelAlsoRemovesTheReadyLabel() {
            Decision d = DECISION.decide(run(WORKING, e -> e.cancelRequestedBy = "otto"), seen(at(5), running(at(5))));
            assertThat(d.next().state()).isEqualTo(CANCELLED);
            assertThat(d.effects()).contains(new Effect.RemoveLabel("ready-for-agent"), new Effect.Interrupt("cancel"));
        }
    }

    @Nested
    class BudgetsEnforced {

        @Test
        void stallInterruptsAndEscalates() {
            Decision d = DECISION.decide(run(WORKING), seen(at(30), running(at(10))));
            assertThat(d.next().state()).isEqualTo(ESCALATED);
            assertThat(d.next().outcomeReason()).contains("stalled");
            assertThat(d.effects().getFirst()).isEqualTo(new Effect.Interrupt("escalated"));
        }

        @Test
        void progressJustInsideTheStallLimitKeepsWaiting() {
            assertThat(DECISION.decide(run(WORKING), seen(at(29), running(at(10)))).next().state()).isEqualTo(WORKING);
        }

        @Test
        void attemptWallClock() {
            Decision d = DECISION.decide(run(WORKING), seen(at(120), running(at(119))));
            assertThat(d.next().state()).isEqualTo(ESCALATED);
            assertThat(d.next().outcomeReason()).contains("attempt wall clock");
        }

        @Test
        void runWallClockHoldsInEveryStateIncludingQuestions() {
            Run asked = run(NEEDS_INPUT, e -> e.pendingRequest = new PendingRequest("q", PendingRequest.Kind.QUESTION, "?", List.of()));
            Decision d = DECISION.decide(asked, seen(at(360), running(at(359))));
            assertThat(d.next().state()).isEqualTo(ESCALATED);
            assertThat(d.next().outcomeReason()).contains("run wall clock");
        }

        @Test
        void turnCap() {
            ThreadObservation busy = new ThreadObservation(ThreadStatus.RUNNING, List.of(), new Usage(null, null, null, 51), at(5), null);
            Decision d = DECISION.decide(run(WORKING), seen(at(5), busy));
            assertThat(d.next().state()).isEqualTo(ESCALATED);
            assertThat(d.next().outcomeReason()).contains("turn cap");
        }

        @Test
        void costCapWhenReported() {
            ThreadObservation pricey = new ThreadObservation(ThreadStatus.RUNNING, List.of(), new Usage(1L, 1L, 100.5, 3), at(5), null);
            Decision d = DECISION.decide(run(WORKING), seen(at(5), pricey));
            assertThat(d.next().state()).isEqualTo(ESCALATED);
            assertThat(d.next().outcomeReason()).contains("cost cap");
        }

        @Test
        void usageIsTrackedWithoutATimelineEntry() {
            ThreadObservation busy = new ThreadObservation(ThreadStatus.RUNNING, List.of(), new Usage(1L, 1L, 2.5, 3), at(5), null);
            Decision d = DECISION.decide(run(WORKING), seen(at(6), busy));
            assertThat(d.next().turns()).isEqualTo(3);
            assertThat(d.next().costUsd()).isEqualTo(2.5);
            assertThat(d.event()).isNull();
        }

        @Test
        void aBudgetRunningOutWhileRedOnTheBranchFreezes() {
            Run r = run(FIX_FORWARDING, e -> {
                e.commitSha = "abc";
                e.waitingPastSha = "abc";
                e.lastVerdict = Outcome.RED;
                e.firstRedAt = at(0);
                e.fixSentAt = at(0);
                e.fixForwardAttempts = 1;
            });
            ThreadObservation pricey = new ThreadObservation(ThreadStatus.RUNNING, List.of(), new Usage(1L, 1L, 101.0, 3), at(5), null);
            assertThat(DECISION.decide(r, seen(at(5), pricey)).next().state()).isEqualTo(FROZEN);
        }

        @Test
        void aStuckEffectEscalates() {
            Observation o = new Observation(at(1), Optional.of(openIssue()), running(at(1)), Optional.empty(), Optional.empty(),
                    Optional.of("start-work: executor unreachable"));
            Decision d = DECISION.decide(run(WORKING), o);
            assertThat(d.next().state()).isEqualTo(ESCALATED);
            assertThat(d.next().outcomeReason()).contains("executor unreachable");
        }
    }

    @ParameterizedTest
    @EnumSource(value = RunState.class, names = {"DONE", "ESCALATED", "FROZEN", "CANCELLED"})
    void terminalStatesNeverChange(RunState state) {
        Run r = run(state);
        Observation o = new Observation(at(999), Optional.empty(), thread(ThreadStatus.ERRORED, at(0)),
                Optional.of(commit("x", at(1))), Optional.of(verdict(Outcome.RED)), Optional.of("boom"));
        assertThat(DECISION.decide(r, o).changes(r.progress())).isFalse();
    }

    @Test
    void everyStateIsHandled() {
        for (RunState state : EnumSet.allOf(RunState.class)) {
            for (ThreadStatus status : ThreadStatus.values()) {
                Decision d = DECISION.decide(run(state, e -> { e.commitSha = "abc"; e.ciSince = at(0); }),
                        seen(at(1), thread(status, at(1)), commit("abc", at(0)), verdict(Outcome.PENDING)));
                assertThat(d.next()).isNotNull();
            }
        }
    }
}
