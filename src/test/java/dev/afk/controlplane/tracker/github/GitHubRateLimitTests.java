package dev.afk.controlplane.tracker.github;

import static dev.afk.controlplane.tracker.github.GitHubIssueTrackerTests.await;
import static dev.afk.controlplane.tracker.github.GitHubIssueTrackerTests.slug;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.afk.controlplane.fakes.github.FakeGitHub;
import dev.afk.controlplane.fakes.github.FakeGitHubResource;
import dev.afk.controlplane.fakes.github.FakeRepo;
import dev.afk.controlplane.github.GitHubConnection;
import dev.afk.controlplane.github.GitHubUnavailable;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Back-off as GitHub's headers ask; lower bounds only (the fake records when each retry came). */
@QuarkusTest
class GitHubRateLimitTests {

    @Inject
    GitHubIssueTracker tracker;

    @Inject
    GitHubConnection connection;

    private final FakeGitHub github = FakeGitHubResource.fake();

    @AfterEach
    void everyAnswerFollowedTheContract() {
        assertThat(github.contractViolations()).isEmpty();
    }

    @Test
    void aSecondaryLimitWithRetryAfterIsWaitedOut() {
        FakeRepo repo = github.repo("acme/secondary-retry-after");
        int issue = repo.createIssue("work", "");
        repo.secondaryLimitNext(1L);

        assertThat(await(tracker.issue(slug(repo), issue))).isPresent();

        List<FakeGitHub.Call> calls = github.callsTo(repo.fullName());
        assertThat(calls).extracting(FakeGitHub.Call::status).containsExactly(403, 200);
        assertThat(Duration.between(calls.get(0).at(), calls.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void aSecondaryLimitWithoutRetryAfterWaitsTheMinimumThenDoubles() {
        FakeRepo repo = github.repo("acme/secondary-backoff");
        int issue = repo.createIssue("work", "");
        repo.secondaryLimitNext(null).secondaryLimitNext(null);

        assertThat(await(tracker.issue(slug(repo), issue))).isPresent();

        List<FakeGitHub.Call> calls = github.callsTo(repo.fullName());
        assertThat(calls).extracting(FakeGitHub.Call::status).containsExactly(403, 403, 200);
        // 300 ms minimum in tests (60 s in production), then twice that.
        assertThat(Duration.between(calls.get(0).at(), calls.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(280));
        assertThat(Duration.between(calls.get(1).at(), calls.get(2).at())).isGreaterThanOrEqualTo(Duration.ofMillis(580));
    }

    @Test
    void aSpentBudgetWaitsForItsReset() {
        FakeRepo repo = github.repo("acme/primary-spent");
        int issue = repo.createIssue("work", "");
        github.exhaust(FakeGitHubResource.TOKEN, Duration.ofSeconds(1));

        assertThat(await(tracker.issue(slug(repo), issue))).isPresent();

        assertThat(github.callsTo(repo.fullName()).getLast().status()).isEqualTo(200);
        assertThat(connection.http().budget().remaining()).isGreaterThan(0);
    }

    @Test
    void serverErrorsOfReadsAreRetried() {
        FakeRepo repo = github.repo("acme/flaky");
        int issue = repo.createIssue("work", "");
        repo.failNext(2, 502);

        assertThat(await(tracker.issue(slug(repo), issue))).isPresent();
        assertThat(github.callsTo(repo.fullName())).extracting(FakeGitHub.Call::status).containsExactly(502, 502, 200);
    }

    @Test
    void aSlowAnswerTimesOutAndIsRetried() {
        FakeRepo repo = github.repo("acme/slow");
        int issue = repo.createIssue("work", "");
        repo.slowNext(Duration.ofSeconds(3));

        assertThat(await(tracker.issue(slug(repo), issue))).isPresent();
        // The slow answer is recorded when the fake finally sends it.
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(github.callsTo(repo.fullName())).hasSize(2));
    }

    @Test
    void aCommentIsNotPostedTwiceAfterAServerError() {
        FakeRepo repo = github.repo("acme/comment-5xx");
        int issue = repo.createIssue("work", "");
        repo.failNext(1, 502);

        assertThatThrownBy(() -> await(tracker.upsertComment(slug(repo), issue, Optional.empty(), "checklist")))
                .isInstanceOf(GitHubUnavailable.class);
        assertThat(github.callsTo(repo.fullName())).hasSize(1);
    }

    @Test
    void theBudgetIsTrackedFromTheHeaders() {
        FakeRepo repo = github.repo("acme/budget");
        int issue = repo.createIssue("work", "");

        await(tracker.issue(slug(repo), issue));

        assertThat(connection.http().budget().remaining()).isEqualTo(github.remaining(FakeGitHubResource.TOKEN));
        assertThat(connection.http().budget().limit()).isEqualTo(5000);
    }
}
