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
import dev.afk.controlplane.fakes.github.FakeGitHub;
import dev.afk.controlplane.fakes.github.FakeGitHubResource;
import dev.afk.controlplane.fakes.github.FakeRepo;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Actions stage against the contract-checked fake GitHub, through the connection the tracker uses. */
@QuarkusTest
class GitHubActionsJudgeTests {

    @Inject
    GitHubActionsJudge judge;

    private final FakeGitHub github = FakeGitHubResource.fake();

    /** A repository of this test's own, so the calls on it are this test's. */
    private final FakeRepo repo = github.repo("acme/gha-" + UUID.randomUUID().toString().substring(0, 8));

    @AfterEach
    void everyAnswerFollowedTheContract() {
        assertThat(github.contractViolations()).isEmpty();
    }

    private static String newSha() {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "").substring(0, 40);
    }

    private Verdict verdict(String sha, List<String> required) {
        return judge.judge(new Target(RepoSlug.parse(repo.fullName()), sha, "main", List.of(Stage.GITHUB_ACTIONS), required, List.of(), null))
                .await().atMost(Duration.ofSeconds(20));
    }

    private List<FakeGitHub.Call> calls() {
        return github.callsTo(repo.fullName());
    }

    @Test
    void everyPageOfCheckRunsIsRead() {
        String sha = newSha();
        for (int i = 0; i < 130; i++) {
            repo.checkRun(sha, "job-" + i, "completed", "success", 1);
        }
        repo.checkRun(sha, "job-on-page-two", "completed", "failure", 1);

        Verdict verdict = verdict(sha, List.of());

        assertThat(verdict.outcome()).isEqualTo(Outcome.RED);
        assertThat(verdict.checks()).extracting(Check::name).containsExactly("job-on-page-two");
        assertThat(calls()).filteredOn(c -> c.path().endsWith(sha + "/check-runs"))
                .extracting(FakeGitHub.Call::query).anyMatch(q -> q.contains("page=2"));
    }

    @Test
    void greenWhenChecksStatusesAndWorkflowsAllPass() {
        String sha = newSha();
        repo.checkRun(sha, "build", "completed", "success", 11);
        repo.checkRun(sha, "docs", "completed", "skipped", 11);
        repo.status(sha, "ci/woodpecker", "success", "deployed");
        repo.workflowRun(sha, "CI", "completed", "success", 11);

        Verdict verdict = verdict(sha, List.of());

        assertThat(verdict.outcome()).isEqualTo(Outcome.GREEN);
        assertThat(verdict.reason()).isEqualTo("GitHub Actions: 3 checks passed");
    }

    @Test
    void pendingUntilTheRunCompletesThenTheConditionalRequestsAreFree() {
        String sha = newSha();
        repo.checkRun(sha, "build", "in_progress", null, 12);

        assertThat(verdict(sha, List.of()).outcome()).isEqualTo(Outcome.PENDING);
        int before = calls().size();
        assertThat(verdict(sha, List.of()).outcome()).isEqualTo(Outcome.PENDING);

        List<FakeGitHub.Call> again = calls().subList(before, calls().size());
        assertThat(again).as("304 answers for unchanged lists, free of rate limit")
                .hasSize(3).allMatch(c -> c.status() == 304 && !c.charged());
    }

    @Test
    void aWorkflowAwaitingApprovalIsActionRequired() {
        String sha = newSha();
        repo.workflowRun(sha, "CI", "completed", "action_required", 13);

        Verdict verdict = verdict(sha, List.of("build"));

        assertThat(verdict.outcome()).isEqualTo(Outcome.ACTION_REQUIRED);
        assertThat(verdict.checks()).extracting(Check::url).allSatisfy(url -> assertThat(url).isNotNull());
    }

    @Test
    void theTokenIsSentAndTheRateLimitReserveIsKept() {
        String sha = newSha();
        repo.checkRun(sha, "build", "completed", "success", 14);
        github.budget(FakeGitHubResource.TOKEN, 5, Duration.ofSeconds(3));

        assertThatThrownBy(() -> verdict(sha, List.of())).isInstanceOf(CiUnavailableException.class);
        assertThat(calls()).as("the answer that reached the reserve stops the rest").hasSize(1)
                .allMatch(c -> FakeGitHubResource.TOKEN.equals(c.token()));

        assertThatThrownBy(() -> verdict(sha, List.of()))
                .isInstanceOf(CiUnavailableException.class)
                .satisfies(e -> assertThat(((CiUnavailableException) e).retryAfter()).isPresent());
        assertThat(calls()).as("nothing asked while below the reserve").hasSize(1);

        github.rateLimit(5000);
        Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(CiUnavailableException.class).untilAsserted(() ->
                assertThat(verdict(sha, List.of()).outcome()).isEqualTo(Outcome.GREEN));
    }

    @Test
    void aSecondaryRateLimitsRetryAfterIsHonoured() {
        String sha = newSha();
        repo.checkRun(sha, "build", "completed", "success", 15);
        repo.secondaryLimitNext(1L);

        assertThatThrownBy(() -> verdict(sha, List.of()))
                .isInstanceOf(CiUnavailableException.class)
                .satisfies(e -> assertThat(((CiUnavailableException) e).retryAfter()).contains(Duration.ofSeconds(1)));

        Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(CiUnavailableException.class).untilAsserted(() ->
                assertThat(verdict(sha, List.of()).outcome()).isEqualTo(Outcome.GREEN));
    }
}
