package dev.afk.controlplane.afk.scenarios;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.afk.fakes.FakeExecutor;
import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.notify.Doorbell.Kind;
import dev.afk.controlplane.support.Tokens;
import dev.afk.controlplane.afk.runs.RunMetrics;
import dev.afk.controlplane.workspace.LiveRuns;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

@QuarkusTest
class FixForwardTests extends PipelineScenario {

    @Inject
    LiveRuns liveRuns;

    @Inject
    RunMetrics metrics;

    @Inject
    MeterRegistry registry;

    double frozenRepos() {
        await(metrics::refresh);
        return registry.get("afk.repos.frozen").gauge().value();
    }

    void redOn(RepoSlug repo, String sha) {
        ci.script(sha, Outcome.RED);
        tracker.pushForRun(repo, sha, executor.latest(repo).runId(), issueOf(executor.latest(repo)));
        executor.latest(repo).finish();
        tick(); // → AWAITING_CI
        tick(); // red → FIX_FORWARDING
    }

    @Test
    void redThenFixedForwardIsDone() {
        RepoSlug repo = enroll("fix-once");
        FakeExecutor.Thread thread = working(repo, 3);

        redOn(repo, "bad0001");
        JsonPath run = run(repo);
        assertThat(run.getString("run.state")).isEqualTo("FIX_FORWARDING");
        assertThat(run.getInt("run.fixForwardAttempts")).isEqualTo(1);
        assertThat(thread.messages()).hasSize(2);
        assertThat(thread.messages().getLast()).contains("bad0001", "attempt 1 of 5", "https://ci.test/bad0001", "AFK-Run: " + thread.runId());

        // The same red commit is not judged again while the corrective turn works (G2).
        ticks(3);
        assertThat(run(repo).getInt("run.fixForwardAttempts")).isEqualTo(1);
        assertThat(thread.messages()).hasSize(2);

        ci.script("good002", Outcome.GREEN);
        tracker.pushForRun(repo, "good002", thread.runId(), 3);
        thread.finish();
        ticks(2);

        run = run(repo);
        assertThat(run.getString("run.state")).isEqualTo("DONE");
        assertThat(run.getString("run.commitSha")).isEqualTo("good002");
        assertThat(run.getList("timeline.to")).containsSubsequence("AWAITING_CI", "FIX_FORWARDING", "AWAITING_CI", "DONE");
        assertThat(tracker.existing(repo, 3).closedByPipeline()).isEqualTo(1);
        assertThat(doorbell.kinds(repo)).containsExactly(Kind.DONE);
    }

    @Test
    void fiveFailedFixesFreezeTheRepositoryUntilAnAdminUnfreezes() {
        RepoSlug repo = enroll("fix-five");
        FakeExecutor.Thread thread = working(repo, 1);
        for (int attempt = 1; attempt <= 5; attempt++) {
            redOn(repo, "bad000" + attempt);
            assertThat(run(repo).getInt("run.fixForwardAttempts")).isEqualTo(attempt);
        }
        redOn(repo, "bad0006");

        JsonPath run = run(repo);
        assertThat(run.getString("run.state")).isEqualTo("FROZEN");
        assertThat(run.getString("run.outcomeReason")).contains("5 fix-forward attempts");
        var issue = tracker.existing(repo, 1);
        assertThat(issue.labels()).contains("ready-for-human").doesNotContain("ready-for-agent", "agent-in-progress");
        assertThat(issue.isOpen()).isTrue();
        assertThat(doorbell.kinds(repo)).containsExactly(Kind.FROZEN);
        assertThat(workspaces.releasedKeeping(thread.runId())).isTrue();
        assertThat(thread.messages()).hasSize(6);
        JsonPath view = repoView(repo);
        assertThat(view.getBoolean("frozen")).isTrue();
        assertThat(view.getString("frozenByRun")).isEqualTo(thread.runId());
        // Housekeeping keeps the frozen run's worktree for forensics while the repository is held.
        assertThat(await(liveRuns::liveRunIds)).contains(thread.runId());
        double frozenBefore = frozenRepos();
        assertThat(frozenBefore).isGreaterThanOrEqualTo(1);

        // The repository is held: a newly ready issue waits.
        readyIssue(repo, 2);
        ticks(2);
        assertThat(runs(repo)).hasSize(1);
        String reason = given().header("Authorization", Tokens.viewer()).get("/api/afk/dispatch/dry-run")
                .then().statusCode(200).extract().jsonPath()
                .getString("find { it.repo == '" + repo + "' }.candidates[0].reason");
        assertThat(reason).isEqualTo("REPO_FROZEN");

        given().header("Authorization", Tokens.operator()).post("/api/afk/repos/" + repo + "/unfreeze").then().statusCode(403);
        given().header("Authorization", Tokens.admin()).post("/api/afk/repos/" + repo + "/unfreeze")
                .then().statusCode(200).body("frozen", org.hamcrest.Matchers.is(false));
        given().header("Authorization", Tokens.admin()).post("/api/afk/repos/" + repo + "/unfreeze")
                .then().statusCode(409).contentType("application/problem+json");
        assertThat(detail(thread.runId()).getString("timeline[-1].detail")).contains("unfrozen by ada");
        assertThat(await(liveRuns::liveRunIds)).doesNotContain(thread.runId());
        assertThat(frozenRepos()).isEqualTo(frozenBefore - 1);

        tick();
        assertThat(runs(repo)).hasSize(2);
        assertThat(run(repo).getInt("run.issue")).isEqualTo(2);
    }

    @Test
    void sixtyMinutesAfterTheFirstRedFreezes() {
        RepoSlug repo = enroll("fix-window");
        FakeExecutor.Thread thread = working(repo, 5);
        // Long before the first red: the window must not count from dispatch (G14).
        clock.advanceMinutes(50);
        thread.progress();
        redOn(repo, "bad0001");
        String firstRed = run(repo).getString("run.firstRedAt");

        clock.advanceMinutes(30);
        thread.progress();
        redOn(repo, "bad0002");
        JsonPath run = run(repo);
        assertThat(run.getString("run.state")).isEqualTo("FIX_FORWARDING");
        assertThat(run.getInt("run.fixForwardAttempts")).isEqualTo(2);
        assertThat(run.getString("run.firstRedAt")).isEqualTo(firstRed);

        clock.advanceMinutes(15);
        thread.progress();
        tick();
        assertThat(state(repo)).isEqualTo("FIX_FORWARDING");
        clock.advanceMinutes(15);
        thread.progress();
        tick();

        run = run(repo);
        assertThat(run.getString("run.state")).isEqualTo("FROZEN");
        assertThat(run.getString("run.outcomeReason")).contains("window");
        assertThat(thread.interrupts()).isEqualTo(1);
        assertThat(doorbell.kinds(repo)).containsExactly(Kind.FROZEN);
        assertThat(repoView(repo).getBoolean("frozen")).isTrue();
    }
}
