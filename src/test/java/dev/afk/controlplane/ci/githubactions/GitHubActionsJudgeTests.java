package dev.afk.controlplane.ci.githubactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.afk.controlplane.ci.CiUnavailableException;
import dev.afk.controlplane.ci.CiVerdicts.Check;
import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.ci.CiVerdicts.Target;
import dev.afk.controlplane.ci.CiVerdicts.Verdict;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.fakes.CiDoorbellFakes;
import dev.afk.controlplane.fakes.LoopbackHttpFake.Request;
import dev.afk.controlplane.fakes.githubchecks.FakeGitHubChecks;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
class GitHubActionsJudgeTests {

    private static final String REPO = "acme/gha";

    @Inject
    GitHubActionsJudge judge;

    private final FakeGitHubChecks github = CiDoorbellFakes.github();

    private static String newSha() {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "").substring(0, 40);
    }

    private Verdict verdict(String sha, List<String> required) {
        return judge.judge(new Target(RepoSlug.parse(REPO), sha, "main", List.of(Stage.GITHUB_ACTIONS), required, List.of(), null))
                .await().atMost(Duration.ofSeconds(20));
    }

    @Test
    void everyPageOfCheckRunsIsRead() {
        String sha = newSha();
        for (int i = 0; i < 130; i++) {
            github.addCheckRun(REPO, sha, "job-" + i, "completed", "success", 1);
        }
        github.addCheckRun(REPO, sha, "job-on-page-two", "completed", "failure", 1);

        Verdict verdict = verdict(sha, List.of());

        assertThat(verdict.outcome()).isEqualTo(Outcome.RED);
        assertThat(verdict.checks()).extracting(Check::name).containsExactly("job-on-page-two");
        assertThat(github.requests()).filteredOn(r -> r.path().endsWith(sha + "/check-runs"))
                .extracting(Request::query).anyMatch(q -> q.contains("page=2"));
    }

    @Test
    void greenWhenChecksStatusesAndWorkflowsAllPass() {
        String sha = newSha();
        github.addCheckRun(REPO, sha, "build", "completed", "success", 11);
        github.addCheckRun(REPO, sha, "docs", "completed", "skipped", 11);
        github.addStatus(REPO, sha, "ci/woodpecker", "success", "deployed");
        github.addWorkflowRun(REPO, sha, "CI", "completed", "success", 11);

        Verdict verdict = verdict(sha, List.of());

        assertThat(verdict.outcome()).isEqualTo(Outcome.GREEN);
        assertThat(verdict.reason()).isEqualTo("GitHub Actions: 3 checks passed");
    }

    @Test
    void pendingUntilTheRunCompletesThenTheConditionalRequestsAreFree() {
        String sha = newSha();
        github.addCheckRun(REPO, sha, "build", "in_progress", null, 12);

        assertThat(verdict(sha, List.of()).outcome()).isEqualTo(Outcome.PENDING);
        int before = github.notModifiedAnswers();
        assertThat(verdict(sha, List.of()).outcome()).isEqualTo(Outcome.PENDING);

        assertThat(github.notModifiedAnswers() - before).as("304 answers for unchanged lists").isEqualTo(3);
    }

    @Test
    void aWorkflowAwaitingApprovalIsActionRequired() {
        String sha = newSha();
        github.addWorkflowRun(REPO, sha, "CI", "completed", "action_required", 13);

        Verdict verdict = verdict(sha, List.of("build"));

        assertThat(verdict.outcome()).isEqualTo(Outcome.ACTION_REQUIRED);
        assertThat(verdict.checks()).extracting(Check::url).allSatisfy(url -> assertThat(url).isNotNull());
    }

    @Test
    void theTokenIsSentAndTheRateLimitReserveIsKept() {
        String sha = newSha();
        github.addCheckRun(REPO, sha, "build", "completed", "success", 14);
        github.rateLimit(5, Instant.now().plusSeconds(3));
        github.clearRequests();

        assertThatThrownBy(() -> verdict(sha, List.of())).isInstanceOf(CiUnavailableException.class);
        assertThat(github.requests()).as("the answer that reached the reserve stops the rest").hasSize(1)
                .allMatch(r -> ("Bearer " + FakeGitHubChecks.TOKEN).equals(r.header("Authorization")));

        github.clearRequests();
        assertThatThrownBy(() -> verdict(sha, List.of()))
                .isInstanceOf(CiUnavailableException.class)
                .satisfies(e -> assertThat(((CiUnavailableException) e).retryAfter()).isPresent());
        assertThat(github.requests()).as("nothing asked while below the reserve").isEmpty();

        github.rateLimit(5000, Instant.now().plusSeconds(3600));
        Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(CiUnavailableException.class).untilAsserted(() ->
                assertThat(verdict(sha, List.of()).outcome()).isEqualTo(Outcome.GREEN));
    }

    @Test
    void aSecondaryRateLimitsRetryAfterIsHonoured() {
        String sha = newSha();
        github.addCheckRun(REPO, sha, "build", "completed", "success", 15);
        github.secondaryLimitOnce(1);

        assertThatThrownBy(() -> verdict(sha, List.of()))
                .isInstanceOf(CiUnavailableException.class)
                .satisfies(e -> assertThat(((CiUnavailableException) e).retryAfter()).contains(Duration.ofSeconds(1)));

        Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(CiUnavailableException.class).untilAsserted(() ->
                assertThat(verdict(sha, List.of()).outcome()).isEqualTo(Outcome.GREEN));
    }
}
