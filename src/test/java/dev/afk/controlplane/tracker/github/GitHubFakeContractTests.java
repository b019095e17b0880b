package dev.afk.controlplane.tracker.github;

import static dev.afk.controlplane.tracker.github.GitHubIssueTrackerTests.await;
import static dev.afk.controlplane.tracker.github.GitHubIssueTrackerTests.slug;
import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.fakes.github.FakeGitHub;
import dev.afk.controlplane.fakes.github.FakeGitHubResource;
import dev.afk.controlplane.fakes.github.FakeRepo;
import dev.afk.controlplane.fakes.github.GitHubContracts;
import dev.afk.controlplane.github.Endpoint;
import dev.afk.controlplane.github.GitHubConnection;
import dev.afk.controlplane.github.GitHubHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Drives every operation of the contract subset through the fake and checks that every answer the
 * fake has given so far (this suite's and earlier ones') is what the contract allows.
 */
@QuarkusTest
class GitHubFakeContractTests {

    @Inject
    GitHubIssueTracker tracker;

    @Inject
    GitHubConnection connection;

    private final FakeGitHub github = FakeGitHubResource.fake();

    @Test
    void everyOperationOfTheContractIsServedAsItSays() {
        FakeRepo repo = github.repo("acme/contract").collaborator("wendy", "maintain");
        int issue = repo.createIssue("contract", "Blocked by #2");
        repo.createIssue("blocker", "");
        repo.label(issue, "ready-for-agent", "wendy").blockedBy(issue, repo.fullName(), 2, "wendy");
        String sha = repo.commit("main", "Work\n\nAFK-Run: r-1\nRefs #1");
        repo.checkRun(sha, "build", "completed", "success");
        repo.checkRun(sha, "deploy", "in_progress", null);
        repo.status(sha, "ci/woodpecker", "pending");
        repo.workflowRun(sha, "CI", "completed", "failure");

        await(tracker.openIssuesWithLabel(slug(repo), "ready-for-agent"));
        await(tracker.openIssuesWithLabel(slug(repo), "ready-for-agent"));
        await(tracker.lastLabeled(slug(repo), issue, "ready-for-agent"));
        await(tracker.blockers(slug(repo), await(tracker.issue(slug(repo), issue)).orElseThrow()));
        await(tracker.permission(slug(repo), "wendy"));
        await(tracker.permission(slug(repo), "nobody"));
        await(tracker.addLabels(slug(repo), issue, Set.of("agent-in-progress")));
        await(tracker.removeLabel(slug(repo), issue, "agent-in-progress"));
        await(tracker.removeLabel(slug(repo), issue, "agent-in-progress"));
        long comment = await(tracker.upsertComment(slug(repo), issue, Optional.empty(), "checklist"));
        await(tracker.upsertComment(slug(repo), issue, Optional.of(comment), "checklist, edited"));
        assertThat(await(tracker.findComment(slug(repo), issue, "checklist"))).contains(comment);
        await(tracker.closeAsCompleted(slug(repo), issue));
        await(tracker.commitsSince(slug(repo), "main", Instant.EPOCH));
        await(tracker.issue(slug(repo), 404));

        // The CI reads, through the same plumbing a CI-verdicts adapter would use.
        GitHubHttp http = connection.http();
        JsonObject checkRuns = new JsonObject(await(http.get(Endpoint.of("/repos/{owner}/{repo}/commits/{ref}/check-runs", "acme", "contract", sha))).body());
        JsonObject status = new JsonObject(await(http.get(Endpoint.of("/repos/{owner}/{repo}/commits/{ref}/status", "acme", "contract", sha))).body());
        JsonObject runs = new JsonObject(await(http.get(Endpoint.of("/repos/{owner}/{repo}/actions/runs", "acme", "contract")
                .withQuery("head_sha", sha))).body());
        await(http.get(Endpoint.of("/rate_limit")));

        assertThat(checkRuns.getJsonArray("check_runs")).hasSize(2);
        assertThat(status.getString("state")).isEqualTo("pending");
        assertThat(runs.getJsonArray("workflow_runs").getJsonObject(0).getString("conclusion")).isEqualTo("failure");
        assertThat(github.contractViolations()).isEmpty();
        assertThat(served()).containsAll(contractOperations());
        // Outside the subset: 304 to conditional reads (the subset lists it for two operations only;
        // GitHub answers it to any conditional GET, without a body), the contents API (the workflow
        // file), refusals for a spent budget, and two 404s GitHub answers though its description lists
        // no 404: editing a comment someone deleted, and the logs of a job it does not know.
        assertThat(github.undocumentedAnswers()).allMatch(answer -> answer.matches(
                "GET .* 304|.*/contents/\\{path} (200|404)|.* 403|PATCH /repos/\\{owner}/\\{repo}/issues/comments/\\{comment_id} 404"
                        + "|GET /repos/\\{owner}/\\{repo}/actions/jobs/\\{job_id}/logs 404"));
    }

    private Set<String> served() {
        return github.calls().stream().map(call -> call.method() + " " + call.template()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> contractOperations() {
        GitHubContracts contracts = GitHubContracts.rest();
        Set<String> operations = new TreeSet<>();
        for (String path : new String[] {"/repos/{owner}/{repo}/issues", "/repos/{owner}/{repo}/issues/{issue_number}",
                "/repos/{owner}/{repo}/issues/{issue_number}/timeline", "/repos/{owner}/{repo}/issues/{issue_number}/labels",
                "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}", "/repos/{owner}/{repo}/issues/{issue_number}/comments",
                "/repos/{owner}/{repo}/issues/comments/{comment_id}", "/repos/{owner}/{repo}/collaborators/{username}/permission",
                "/repos/{owner}/{repo}/commits", "/repos/{owner}/{repo}/commits/{ref}/check-runs",
                "/repos/{owner}/{repo}/commits/{ref}/status", "/repos/{owner}/{repo}/actions/runs", "/rate_limit"}) {
            for (String method : new String[] {"GET", "POST", "PATCH", "DELETE"}) {
                if (contracts.documents(method, path, 200) || contracts.documents(method, path, 201)) {
                    operations.add(method + " " + path);
                }
            }
        }
        assertThat(operations).hasSize(15);
        return operations;
    }
}
