package dev.afk.controlplane.tracker.github;

import static dev.afk.controlplane.tracker.github.GitHubIssueTrackerTests.await;
import static dev.afk.controlplane.tracker.github.GitHubIssueTrackerTests.slug;
import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.fakes.github.FakeGitHub;
import dev.afk.controlplane.fakes.github.FakeGitHubResource;
import dev.afk.controlplane.fakes.github.FakeRepo;
import dev.afk.controlplane.github.Endpoint;
import dev.afk.controlplane.github.GitHubConnection;
import dev.afk.controlplane.tracker.PullRequest;
import dev.afk.controlplane.tracker.PullRequest.MergeMethod;
import dev.afk.controlplane.tracker.PullRequest.MergeResult.Outcome;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pull requests through the GitHub adapter, against the fake that follows the contract's pulls operations. */
@QuarkusTest
class GitHubPullRequestTests {

    private static final AtomicInteger REPOS = new AtomicInteger();

    @Inject
    GitHubIssueTracker tracker;

    @Inject
    GitHubConnection connection;

    private final FakeGitHub github = FakeGitHubResource.fake();

    @AfterEach
    void everyAnswerFollowedTheContract() {
        assertThat(github.contractViolations()).isEmpty();
    }

    private FakeRepo repo() {
        return github.repo("acme/pulls-" + REPOS.incrementAndGet());
    }

    @Test
    void openingIsIdempotentByHeadBranchAndTheRunIsFoundByIt() {
        FakeRepo repo = repo();
        String sha = repo.commit("afk/7-0f3c9a7e", "Print hello\n\nRefs #7\nAFK-Run: r-1");

        PullRequest opened = await(tracker.openPullRequest(slug(repo), "afk/7-0f3c9a7e", "main", "Print hello", "Refs #7"));
        PullRequest again = await(tracker.openPullRequest(slug(repo), "afk/7-0f3c9a7e", "main", "Print hello", "Refs #7"));

        assertThat(again).isEqualTo(opened);
        assertThat(opened.state()).isEqualTo(PullRequest.State.OPEN);
        assertThat(opened.head()).isEqualTo("afk/7-0f3c9a7e");
        assertThat(opened.headSha()).isEqualTo(sha);
        assertThat(opened.url()).endsWith("/pull/" + opened.number());
        assertThat(repo.pullRequests()).singleElement().satisfies(p -> assertThat(p.body).isEqualTo("Refs #7"));
        assertThat(await(tracker.pullRequest(slug(repo), "afk/7-0f3c9a7e"))).contains(opened);
        assertThat(await(tracker.pullRequest(slug(repo), "afk/8-other"))).isEmpty();

        // A fix-forward commit moves the head; the pull request follows.
        String fix = repo.commit("afk/7-0f3c9a7e", "Fix the test\n\nRefs #7\nAFK-Run: r-1");
        assertThat(await(tracker.pullRequest(slug(repo), "afk/7-0f3c9a7e")).orElseThrow().headSha()).isEqualTo(fix);
    }

    @Test
    void aBranchWithoutCommitsIsRefusedWithGitHubsReason() {
        FakeRepo repo = repo();
        repo.commit("main", "Initial");
        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() ->
                await(tracker.openPullRequest(slug(repo), "afk/9-empty", "main", "Nothing", "Refs #9")));
        assertThat(refused).hasMessageContaining("No commits between main and afk/9-empty");
        assertThat(repo.pullRequests()).isEmpty();
    }

    @Test
    void mergeWaitsForRequiredChecksRefusesAMovedHeadAndAConflictThenMerges() {
        FakeRepo repo = repo().requireChecks("ci");
        repo.commit("main", "Initial");
        String first = repo.commit("afk/3-abc", "Add greeting\n\nAFK-Run: r-3");
        PullRequest pull = await(tracker.openPullRequest(slug(repo), "afk/3-abc", "main", "Add greeting", "Refs #3"));

        var pending = await(tracker.merge(slug(repo), pull.number(), first, MergeMethod.SQUASH));
        assertThat(pending.outcome()).isEqualTo(Outcome.NOT_MERGEABLE);
        assertThat(pending.reason()).contains("Required status check \"ci\" is expected");

        String second = repo.commit("afk/3-abc", "Fix\n\nAFK-Run: r-3");
        repo.status(second, "ci", "success");
        assertThat(await(tracker.merge(slug(repo), pull.number(), first, MergeMethod.SQUASH)).outcome()).isEqualTo(Outcome.HEAD_MOVED);

        repo.conflicting(pull.number(), true);
        assertThat(await(tracker.merge(slug(repo), pull.number(), second, MergeMethod.SQUASH)).outcome()).isEqualTo(Outcome.NOT_MERGEABLE);
        repo.conflicting(pull.number(), false);

        var merged = await(tracker.merge(slug(repo), pull.number(), second, MergeMethod.SQUASH));
        assertThat(merged.outcome()).isEqualTo(Outcome.MERGED);
        assertThat(repo.head("main")).contains(merged.sha());
        PullRequest landed = await(tracker.pullRequest(slug(repo), "afk/3-abc")).orElseThrow();
        assertThat(landed.state()).isEqualTo(PullRequest.State.MERGED);
        assertThat(landed.mergeCommitSha()).as("the base branch's commit that landed it").isEqualTo(merged.sha());
        // The squashed commit keeps the run's trailer, so the deploy of the base branch is still the run's.
        assertThat(await(tracker.commitsSince(slug(repo), "main", java.time.Instant.EPOCH)).getFirst().trailers().toString()).contains("r-3");
        // Merging twice is refused, not repeated.
        assertThat(await(tracker.merge(slug(repo), pull.number(), second, MergeMethod.SQUASH)).outcome()).isEqualTo(Outcome.NOT_MERGEABLE);
    }

    @Test
    void aBranchNotPushedYetHasNoCommits() {
        FakeRepo repo = repo();
        repo.commit("main", "Initial");
        assertThat(await(tracker.commitsSince(slug(repo), "afk/9-notyet", java.time.Instant.EPOCH))).isEmpty();
        String sha = repo.commit("afk/9-notyet", "Work\n\nAFK-Run: r-9");
        assertThat(await(tracker.commitsSince(slug(repo), "afk/9-notyet", java.time.Instant.EPOCH)))
                .extracting(dev.afk.controlplane.tracker.Commit::sha).containsExactly(sha);
    }

    @Test
    void aPullRequestClosedByAPersonOrByUsReadsClosed() {
        FakeRepo repo = repo();
        repo.commit("afk/4-a", "A");
        repo.commit("afk/5-b", "B");
        PullRequest a = await(tracker.openPullRequest(slug(repo), "afk/4-a", "main", "A", "Refs #4"));
        PullRequest b = await(tracker.openPullRequest(slug(repo), "afk/5-b", "main", "B", "Refs #5"));

        repo.closePullRequest(a.number(), "alice");
        await(tracker.closePullRequest(slug(repo), b.number()));
        await(tracker.closePullRequest(slug(repo), b.number()));

        assertThat(await(tracker.pullRequest(slug(repo), "afk/4-a")).orElseThrow().state()).isEqualTo(PullRequest.State.CLOSED);
        assertThat(await(tracker.pullRequest(slug(repo), "afk/4-a")).orElseThrow().mergeCommitSha()).isNull();
        assertThat(await(tracker.pullRequest(slug(repo), "afk/5-b")).orElseThrow().state()).isEqualTo(PullRequest.State.CLOSED);
        assertThat(await(tracker.merge(slug(repo), a.number(), null, MergeMethod.MERGE)).outcome()).isEqualTo(Outcome.NOT_MERGEABLE);
        // A new pull request from the same branch after a close is the one found.
        PullRequest reopened = await(tracker.openPullRequest(slug(repo), "afk/4-a", "main", "A", "Refs #4"));
        assertThat(reopened.number()).isNotEqualTo(a.number());
        assertThat(await(tracker.pullRequest(slug(repo), "afk/4-a"))).contains(reopened);
    }

    @Test
    void everyPullRequestOperationOfTheContractIsServed() {
        FakeRepo repo = repo();
        repo.commit("afk/6-c", "C");
        PullRequest pull = await(tracker.openPullRequest(slug(repo), "afk/6-c", "main", "C", "Refs #6"));
        await(tracker.merge(slug(repo), pull.number(), pull.headSha(), MergeMethod.MERGE));
        JsonObject one = new JsonObject(await(connection.http().get(Endpoint.of("/repos/{owner}/{repo}/pulls/{pull_number}",
                repo.owner, repo.name, String.valueOf(pull.number())))).body());
        assertThat(one.getBoolean("merged")).isTrue();
        await(tracker.closePullRequest(slug(repo), pull.number()));

        Set<String> served = github.calls().stream().map(c -> c.method() + " " + c.template())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(served).containsAll(List.of("GET /repos/{owner}/{repo}/pulls", "POST /repos/{owner}/{repo}/pulls",
                "GET /repos/{owner}/{repo}/pulls/{pull_number}", "PATCH /repos/{owner}/{repo}/pulls/{pull_number}",
                "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge"));
        assertThat(github.undocumentedAnswers()).noneMatch(answer -> answer.contains("/pulls"));
    }
}
