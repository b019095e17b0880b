package dev.afk.controlplane.afk.runs;

import static dev.afk.controlplane.afk.runs.RunDecisionTests.BUDGETS;
import static dev.afk.controlplane.afk.runs.RunDecisionTests.DECISION;
import static dev.afk.controlplane.afk.runs.RunDecisionTests.at;
import static dev.afk.controlplane.afk.runs.RunDecisionTests.commit;
import static dev.afk.controlplane.afk.runs.RunDecisionTests.kinds;
import static dev.afk.controlplane.afk.runs.RunDecisionTests.openIssue;
import static dev.afk.controlplane.afk.runs.RunDecisionTests.running;
import static dev.afk.controlplane.afk.runs.RunDecisionTests.verdict;
import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.afk.repos.Landing;
import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.ci.CiVerdicts.Verdict;
import dev.afk.controlplane.tracker.PullRequest;
import dev.afk.controlplane.tracker.PullRequest.MergeMethod;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The decision table's pull-request landing: open, judge the head, merge, judge the merge commit, or stop. */
class PullRequestLandingDecisionTests {

    static final RunSettings SETTINGS = new RunSettings(BUDGETS, List.of(Stage.GITHUB_ACTIONS, Stage.ROLLOUT), List.of(),
            new Landing(Landing.Mode.PULL_REQUEST, MergeMethod.SQUASH));

    static Run run(RunState state, Consumer<Progress.Edit> tweak) {
        Run base = RunDecisionTests.run(state, tweak);
        return new Run(base.id(), base.release(), base.prompt(), SETTINGS, base.createdAt(), base.retryOf(), base.progress(),
                base.executor(), base.workspace(), base.checklistCommentId(), base.version());
    }

    static PullRequest pull(PullRequest.State state, String head, String mergeSha) {
        return new PullRequest(12, "afk/7-run1", head, state, "https://forge/pull/12", mergeSha);
    }

    static Observation seen(int minute, String newest, Verdict verdict, PullRequest pull, int refusals) {
        return new Observation(at(minute), Optional.of(openIssue()), running(at(minute)),
                Optional.ofNullable(newest).map(sha -> commit(sha, at(minute))), Optional.ofNullable(verdict), Optional.empty(),
                Optional.ofNullable(pull), refusals);
    }

    @Test
    void aPushedBranchOpensItsPullRequestOnce() {
        Decision first = DECISION.decide(run(RunState.WORKING, e -> {}), seen(1, "aaa", null, null, 0));
        assertThat(first.next().state()).isEqualTo(RunState.AWAITING_CI);
        assertThat(kinds(first)).containsExactly(Effect.OpenPullRequest.class, Effect.UpdateChecklist.class);

        Decision fixed = DECISION.decide(run(RunState.FIX_FORWARDING, e -> e.waitingPastSha = "aaa"),
                seen(2, "bbb", null, pull(PullRequest.State.OPEN, "aaa", null), 0));
        assertThat(kinds(fixed)).as("already open").containsExactly(Effect.UpdateChecklist.class);
    }

    @Test
    void aGreenHeadIsMergedWithTheConfiguredMethodAndTheMergeCommitIsJudgedNext() {
        Run awaiting = run(RunState.AWAITING_CI, e -> e.commitSha = "aaa");
        Decision merge = DECISION.decide(awaiting, seen(3, "aaa", verdict(Outcome.GREEN), pull(PullRequest.State.OPEN, "aaa", null), 0));
        assertThat(merge.next().state()).isEqualTo(RunState.AWAITING_CI);
        assertThat(merge.effects().getFirst()).isEqualTo(new Effect.MergePullRequest(12, "aaa", MergeMethod.SQUASH));

        Run asked = run(RunState.AWAITING_CI, e -> {
            e.commitSha = "aaa";
            e.lastVerdict = Outcome.GREEN;
        });
        Decision landed = DECISION.decide(asked, seen(4, null, null, pull(PullRequest.State.MERGED, "aaa", "mmm"), 0));
        assertThat(landed.next().commitSha()).isEqualTo("mmm");
        assertThat(landed.next().lastVerdict()).isNull();
        assertThat(landed.event()).contains("merged #12");

        Run onMerge = run(RunState.AWAITING_CI, e -> e.commitSha = "mmm");
        Decision done = DECISION.decide(onMerge, seen(5, null, verdict(Outcome.GREEN), pull(PullRequest.State.MERGED, "aaa", "mmm"), 0));
        assertThat(done.next().state()).isEqualTo(RunState.DONE);
        assertThat(kinds(done)).contains(Effect.CloseIssue.class).doesNotContain(Effect.MergePullRequest.class);
    }

    @Test
    void aRefusedMergeIsOneFixForwardAttemptThenAHumansJob() {
        Run asked = run(RunState.AWAITING_CI, e -> {
            e.commitSha = "aaa";
            e.lastVerdict = Outcome.GREEN;
        });
        Decision first = DECISION.decide(asked, seen(4, "aaa", verdict(Outcome.GREEN), pull(PullRequest.State.OPEN, "aaa", null), 1));
        assertThat(first.next().state()).isEqualTo(RunState.FIX_FORWARDING);
        assertThat(first.next().waitingPastSha()).isEqualTo("aaa");
        assertThat(first.effects().getFirst()).isEqualTo(new Effect.ResolveMergeRefusal(1, 12));

        Run again = run(RunState.AWAITING_CI, e -> {
            e.commitSha = "bbb";
            e.lastVerdict = Outcome.GREEN;
            e.fixForwardAttempts = 1;
        });
        Decision second = DECISION.decide(again, seen(9, "bbb", verdict(Outcome.GREEN), pull(PullRequest.State.OPEN, "bbb", null), 2));
        assertThat(second.next().state()).as("nothing reached the default branch").isEqualTo(RunState.ESCALATED);
        assertThat(second.next().outcomeReason()).contains("refused again");
        assertThat(kinds(second)).doesNotContain(Effect.FreezeRepo.class);
    }

    @Test
    void aRedHeadWithTheBudgetSpentEscalatesButARedMergeCommitFreezes() {
        Run spent = run(RunState.AWAITING_CI, e -> {
            e.commitSha = "ccc";
            e.fixForwardAttempts = BUDGETS.maxFixForwardAttempts();
            e.firstRedAt = at(1);
        });
        Decision head = DECISION.decide(spent, seen(5, "ccc", verdict(Outcome.RED), pull(PullRequest.State.OPEN, "ccc", null), 0));
        assertThat(head.next().state()).isEqualTo(RunState.ESCALATED);
        assertThat(kinds(head)).doesNotContain(Effect.FreezeRepo.class);

        Run onMerge = run(RunState.AWAITING_CI, e -> e.commitSha = "mmm");
        Decision merged = DECISION.decide(onMerge, seen(5, null, verdict(Outcome.RED), pull(PullRequest.State.MERGED, "ccc", "mmm"), 0));
        assertThat(merged.next().state()).isEqualTo(RunState.FROZEN);
        assertThat(merged.next().outcomeReason()).contains("after merging #12");
        assertThat(kinds(merged)).contains(Effect.FreezeRepo.class);
    }

    @Test
    void aPullRequestClosedWithoutMergingCancelsTheRun() {
        Decision d = DECISION.decide(run(RunState.AWAITING_CI, e -> e.commitSha = "aaa"),
                seen(6, "aaa", null, pull(PullRequest.State.CLOSED, "aaa", null), 0));
        assertThat(d.next().state()).isEqualTo(RunState.CANCELLED);
        assertThat(d.next().outcomeReason()).isEqualTo("the pull request #12 was closed without merging");
        assertThat(kinds(d)).contains(Effect.Interrupt.class, Effect.ReleaseWorktree.class);
    }
}
