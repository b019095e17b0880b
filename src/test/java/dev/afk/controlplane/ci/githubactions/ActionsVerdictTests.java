package dev.afk.controlplane.ci.githubactions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.ci.CiVerdicts.Check;
import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.ci.CiVerdicts.Verdict;
import dev.afk.controlplane.ci.githubactions.GitHubChecks.CheckRun;
import dev.afk.controlplane.ci.githubactions.GitHubChecks.CommitStatus;
import dev.afk.controlplane.ci.githubactions.GitHubChecks.WorkflowRun;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ActionsVerdictTests {

    private static CheckRun run(String name, String status, String conclusion, long suite) {
        return new CheckRun(suite * 10, name, status, conclusion, "https://github.com/acme/web/runs/" + name, null,
                new CheckRun.Suite(suite), null);
    }

    private static CheckRun done(String name, String conclusion) {
        return run(name, "completed", conclusion, 1);
    }

    private static WorkflowRun workflow(String name, String status, String conclusion, long suite) {
        return new WorkflowRun(suite, name, name, status, conclusion, "https://github.com/acme/web/actions/runs/" + suite, suite);
    }

    @Test
    void aFailingCheckRunCarriesItsOutputTitleAndSummaryBounded() {
        String longSummary = "x".repeat(ActionsVerdict.MAX_SUMMARY + 500);
        CheckRun failing = new CheckRun(7, "test", "completed", "failure", "https://github.com/acme/web/runs/7", null,
                new CheckRun.Suite(1), new CheckRun.Output("2 tests failed", longSummary));

        Check check = ActionsVerdict.of(List.of(failing), List.of(), List.of(), List.of()).checks().getFirst();

        assertThat(check.summary()).isEqualTo("failure");
        assertThat(check.detail()).startsWith("2 tests failed\nxxx")
                .endsWith("[... cut at " + ActionsVerdict.MAX_SUMMARY + " characters]")
                .hasSizeLessThan(ActionsVerdict.MAX_TITLE + ActionsVerdict.MAX_SUMMARY + 50);
        assertThat(ActionsVerdict.detail(new CheckRun.Output(null, " "))).isNull();
        assertThat(ActionsVerdict.detail(null)).isNull();
    }

    @ParameterizedTest(name = "{0}/{1} -> {2}")
    @CsvSource(nullValues = "null", value = {
            "completed, success, GREEN",
            "completed, neutral, GREEN",
            "completed, skipped, GREEN",
            "completed, failure, RED",
            "completed, timed_out, RED",
            "completed, cancelled, RED",
            "completed, startup_failure, RED",
            "completed, stale, RED",
            "completed, action_required, ACTION_REQUIRED",
            "queued, null, PENDING",
            "in_progress, null, PENDING",
            "waiting, null, PENDING",
            "requested, null, PENDING",
            "pending, null, PENDING"})
    void checkRunConclusions(String status, String conclusion, Outcome expected) {
        assertThat(ActionsVerdict.outcome(status, conclusion)).isEqualTo(expected);
        assertThat(ActionsVerdict.of(List.of(run("build", status, conclusion, 1)), List.of(), List.of(), List.of()).outcome())
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "status {0} -> {1}")
    @CsvSource({"success, GREEN", "pending, PENDING", "failure, RED", "error, RED"})
    void commitStatuses(String state, Outcome expected) {
        CommitStatus status = new CommitStatus("ci/woodpecker", state, "the deploy", "https://ci.example.org/1");
        assertThat(ActionsVerdict.of(List.of(), List.of(status), List.of(), List.of()).outcome()).isEqualTo(expected);
    }

    @Test
    void redNamesTheFailingChecksWithTheirLinks() {
        Verdict verdict = ActionsVerdict.of(List.of(done("build", "success"), done("test", "failure"), done("lint", "timed_out")),
                List.of(new CommitStatus("coverage", "error", "coverage dropped", "https://cov.example.org/9")), List.of(), List.of());

        assertThat(verdict.outcome()).isEqualTo(Outcome.RED);
        assertThat(verdict.checks()).extracting(Check::name, Check::summary)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("test", "failure"),
                        org.assertj.core.groups.Tuple.tuple("lint", "timed_out"),
                        org.assertj.core.groups.Tuple.tuple("coverage", "coverage dropped"));
        assertThat(verdict.checks().get(0).url()).hasToString("https://github.com/acme/web/runs/test");
        assertThat(verdict.reason()).startsWith("GitHub Actions: failed: test (failure), lint (timed_out)");
    }

    @Test
    void nothingReportedIsPendingNotGreen() {
        Verdict verdict = ActionsVerdict.of(List.of(), List.of(), List.of(), List.of());
        assertThat(verdict.outcome()).isEqualTo(Outcome.PENDING);
        assertThat(verdict.reason()).contains("nothing has reported");
    }

    @Test
    void aWorkflowThatNeedsApprovalIsEscalatedNotPendingForever() {
        Verdict verdict = ActionsVerdict.of(List.of(), List.of(),
                List.of(workflow("CI", "completed", "action_required", 7)), List.of());
        assertThat(verdict.outcome()).isEqualTo(Outcome.ACTION_REQUIRED);
        assertThat(verdict.checks()).extracting(Check::name).containsExactly("workflow CI");
    }

    @Test
    void aWorkflowThatNeverStartedIsRed() {
        Verdict verdict = ActionsVerdict.of(List.of(), List.of(),
                List.of(workflow("CI", "completed", "startup_failure", 7)), List.of());
        assertThat(verdict.outcome()).isEqualTo(Outcome.RED);
    }

    @Test
    void aQueuedWorkflowWithoutJobsYetIsPending() {
        Verdict verdict = ActionsVerdict.of(List.of(), List.of(), List.of(workflow("CI", "queued", null, 7)), List.of());
        assertThat(verdict.outcome()).isEqualTo(Outcome.PENDING);
    }

    @Test
    void aWorkflowWithCheckRunsSpeaksThroughThem() {
        Verdict verdict = ActionsVerdict.of(List.of(run("build", "completed", "success", 7)), List.of(),
                List.of(workflow("CI", "completed", "failure", 7)), List.of());
        assertThat(verdict.outcome()).as("the workflow's own conclusion is its jobs'").isEqualTo(Outcome.GREEN);
    }

    @Test
    void requiredChecksIgnoreOthersAndWaitForMissingOnes() {
        List<CheckRun> runs = List.of(done("build", "success"), done("flaky-e2e", "failure"));

        assertThat(ActionsVerdict.of(runs, List.of(), List.of(), List.of("build")).outcome()).isEqualTo(Outcome.GREEN);

        Verdict missing = ActionsVerdict.of(runs, List.of(), List.of(), List.of("build", "deploy"));
        assertThat(missing.outcome()).isEqualTo(Outcome.PENDING);
        assertThat(missing.checks()).extracting(Check::name, Check::summary)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("deploy", "not reported yet"));
    }

    @Test
    void aRequiredCheckCanBeACommitStatus() {
        CommitStatus deploy = new CommitStatus("deploy", "failure", null, null);
        Verdict verdict = ActionsVerdict.of(List.of(done("build", "success")), List.of(deploy), List.of(), List.of("build", "deploy"));
        assertThat(verdict.outcome()).isEqualTo(Outcome.RED);
        assertThat(verdict.checks()).extracting(Check::summary).containsExactly("failure");
    }

    @Test
    void aMissingRequiredCheckIsExplainedByAWorkflowThatCouldNotRun() {
        Verdict verdict = ActionsVerdict.of(List.of(done("lint", "success")), List.of(),
                List.of(workflow("CI", "completed", "action_required", 9)), List.of("build"));
        assertThat(verdict.outcome()).isEqualTo(Outcome.ACTION_REQUIRED);
    }
}
