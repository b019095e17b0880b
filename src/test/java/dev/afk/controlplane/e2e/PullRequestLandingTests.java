package dev.afk.controlplane.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.fakes.CiDoorbellFakes;
import dev.afk.controlplane.fakes.github.FakeRepo;
import dev.afk.controlplane.fakes.t3.AgentScript;
import dev.afk.controlplane.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Repositories that land by pull request: the agent pushes the run's branch, the pipeline opens the
 * pull request, judges its head, fixes forward on the branch, merges it itself and judges the merge
 * commit's deploy; a person closing the pull request cancels the run.
 */
@QuarkusTest
@TestProfile(EndToEndProfile.class)
class PullRequestLandingTests extends EndToEndScenario {

    private static final Pattern PUSH_TARGET = Pattern.compile("git push origin HEAD:refs/heads/(\\S+?)`");
    private static final Pattern RUN = Pattern.compile("AFK-Run: (\\S+)");

    Fixture enrollByPullRequest(String name, String mergeMethod) {
        Fixture repo = enroll(name);
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"landing\": {\"mode\": \"pull-request\", \"mergeMethod\": \"" + mergeMethod + "\"}}")
                .patch("/api/afk/repos/" + repo.slug()).then().statusCode(200);
        return repo;
    }

    record Pushed(String branch, String sha) {}

    /** What the agent's push looks like from GitHub: a commit with the run's trailers on the branch its prompt names. */
    static Pushed pushBranch(Fixture repo, AgentScript.TurnContext turn, int issue, String subject) {
        Matcher target = PUSH_TARGET.matcher(turn.prompt());
        assertThat(target.find()).as("the prompt names the branch to push: " + turn.prompt()).isTrue();
        assertThat(turn.prompt()).doesNotContain("HEAD:main");
        assertThat(target.group(1)).as("the branch pushed is the run's worktree branch").isEqualTo(turn.branch());
        Matcher run = RUN.matcher(turn.prompt());
        assertThat(run.find()).as("the prompt names the run").isTrue();
        return new Pushed(target.group(1), repo.github().commit(target.group(1),
                subject + "\n\nRefs #" + issue + "\nAFK-Run: " + run.group(1)));
    }

    @Test
    void aGreenPullRequestIsMergedByThePipelineThenItsDeployMakesTheRunDone() {
        Fixture repo = enrollByPullRequest("pr-done", "squash");
        int issue = readyIssue(repo, "alice");
        List<String> branches = new CopyOnWriteArrayList<>();
        List<String> pushed = new CopyOnWriteArrayList<>();
        agent(repo, turn -> {
            Pushed push = pushBranch(repo, turn, issue, "Print hello on start");
            branches.add(push.branch());
            CiDoorbellFakes.woodpecker().addPipeline(repo.woodpeckerId(), push.sha(), push.branch(), "running");
            pushed.add(push.sha());
        });

        JsonPath awaiting = tickUntil(repo, "AWAITING_CI", 10);
        String branch = branches.getFirst();
        assertThat(branch).startsWith("afk/" + issue + "-");
        assertThat(awaiting.getString("run.commitSha")).isEqualTo(pushed.getFirst());
        assertThat(repo.github().head("main")).as("nothing reached the default branch").isNotEqualTo(pushed.getFirst());
        tick();
        FakeRepo.PullRequest pull = onlyPullRequest(repo);
        assertThat(pull.head).isEqualTo(branch);
        assertThat(pull.base).isEqualTo("main");
        assertThat(pull.body).contains("Refs #" + issue, awaiting.getString("run.id"), awaiting.getString("run.threadLink"))
                .doesNotContain("Closes", "Fixes");
        assertThat(pull.state).isEqualTo("open");

        CiDoorbellFakes.woodpecker().addPipeline(repo.woodpeckerId(), pushed.getFirst(), branch, "success");
        tick();
        tick();
        assertThat(pull.merged).as("merged by the pipeline once its head is green").isTrue();
        assertThat(pull.mergedBy).isEqualTo("afk-bot");
        String landed = repo.github().head("main").orElseThrow();
        assertThat(pull.mergeCommitSha).isEqualTo(landed);
        JsonPath merged = run(repo);
        assertThat(merged.getString("run.state")).as("the deploy of the merge commit is still to come").isEqualTo("AWAITING_CI");
        assertThat(merged.getString("run.commitSha")).isEqualTo(landed);
        assertThat(repo.github().issue(issue).state).isEqualTo("open");

        CiDoorbellFakes.woodpecker().addPipeline(repo.woodpeckerId(), landed, "main", "success");
        JsonPath done = tickUntil(repo, "DONE", 3);
        assertThat(done.getList("timeline.to")).containsSubsequence("WORKING", "AWAITING_CI", "DONE");
        assertThat(done.getList("timeline.detail").toString()).contains("merged #" + pull.number);
        assertThat(done.getList("effects.doneAt")).doesNotContainNull();
        assertThat(repo.github().issue(issue).state).isEqualTo("closed");
        assertThat(repo.github().labels(issue)).doesNotContain("agent-in-progress", "ready-for-agent", "ready-for-human");
        assertThat(repo.github().comments(issue)).singleElement()
                .satisfies(c -> assertThat(c.body()).contains("DONE", "[x] merged"));
        assertThat(Path.of(done.getString("run.worktreePath"))).doesNotExist();
        assertThat(repo.github().pullRequests()).as("one pull request, whatever the ticks").hasSize(1);
    }

    @Test
    void aRedPullRequestIsFixedForwardOnItsBranchThenMerged() {
        Fixture repo = enrollByPullRequest("pr-fix", "merge");
        int issue = readyIssue(repo, "alice");
        List<String> pushed = new CopyOnWriteArrayList<>();
        List<String> prompts = new CopyOnWriteArrayList<>();
        agent(repo, turn -> {
            prompts.add(turn.prompt());
            Pushed push = pushBranch(repo, turn, issue, turn.turnNumber() == 1 ? "Print hello on start" : "Fix the greeting");
            CiDoorbellFakes.woodpecker().addPipeline(repo.woodpeckerId(), push.sha(), push.branch(),
                    turn.turnNumber() == 1 ? "failure" : "success", "test");
            pushed.add(push.sha());
        });

        tickUntil(repo, "FIX_FORWARDING", 10);
        JsonPath fixed = tickUntil(repo, "AWAITING_CI", 10);
        assertThat(pushed).hasSize(2);
        assertThat(prompts.getLast()).contains("CI is RED on your commit " + pushed.getFirst(),
                "git push origin HEAD:refs/heads/" + onlyPullRequest(repo).head).doesNotContain("HEAD:main", "stays deployed");
        assertThat(fixed.getString("run.commitSha")).isEqualTo(pushed.getLast());
        assertThat(fixed.getInt("run.fixForwardAttempts")).isEqualTo(1);
        assertThat(repoView(repo).getBoolean("frozen")).as("a red pull request breaks nothing").isFalse();

        tick();
        tick();
        FakeRepo.PullRequest pull = onlyPullRequest(repo);
        assertThat(pull.merged).isTrue();
        assertThat(repo.github().commits("main")).as("the merge brings both commits of the branch")
                .contains(pushed.getFirst(), pushed.getLast());
        CiDoorbellFakes.woodpecker().addPipeline(repo.woodpeckerId(), pull.mergeCommitSha, "main", "success");
        JsonPath done = tickUntil(repo, "DONE", 3);
        assertThat(done.getList("timeline.to")).containsSubsequence("AWAITING_CI", "FIX_FORWARDING", "AWAITING_CI", "DONE");
        assertThat(repo.github().issue(issue).state).isEqualTo("closed");
        assertThat(repo.github().pullRequests()).hasSize(1);
    }

    @Test
    void aPullRequestClosedByAPersonCancelsTheRun() {
        Fixture repo = enrollByPullRequest("pr-closed", "rebase");
        int issue = readyIssue(repo, "alice");
        agent(repo, turn -> {
            Pushed push = pushBranch(repo, turn, issue, "Print hello on start");
            CiDoorbellFakes.woodpecker().addPipeline(repo.woodpeckerId(), push.sha(), push.branch(), "running");
        });

        JsonPath awaiting = tickUntil(repo, "AWAITING_CI", 10);
        tick();
        FakeRepo.PullRequest pull = onlyPullRequest(repo);
        repo.github().closePullRequest(pull.number, "alice");

        JsonPath cancelled = tickUntil(repo, "CANCELLED", 3);
        assertThat(cancelled.getString("run.outcomeReason")).contains("pull request #" + pull.number, "closed");
        assertThat(pull.merged).isFalse();
        assertThat(repo.github().head("main")).isNotEqualTo(awaiting.getString("run.commitSha"));
        assertThat(repo.github().issue(issue).state).as("the issue stays for a person to decide").isEqualTo("open");
        assertThat(repo.github().labels(issue)).doesNotContain("agent-in-progress", "ready-for-agent");
        assertThat(Path.of(cancelled.getString("run.worktreePath"))).doesNotExist();
        tick();
        assertThat(runs(repo)).hasSize(1);
        assertThat(repo.github().pullRequests()).singleElement().satisfies(p -> assertThat(p.state).isEqualTo("closed"));
    }

    private static FakeRepo.PullRequest onlyPullRequest(Fixture repo) {
        List<FakeRepo.PullRequest> all = repo.github().pullRequests();
        assertThat(all).as("pull requests of " + repo.slug()).hasSize(1);
        return all.getFirst();
    }
}
