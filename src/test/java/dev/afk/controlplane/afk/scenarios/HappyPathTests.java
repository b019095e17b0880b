package dev.afk.controlplane.afk.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.afk.fakes.FakeExecutor;
import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.notify.Doorbell.Kind;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HappyPathTests extends PipelineScenario {

    @Test
    void labelToGreenDeployIsDone() {
        RepoSlug repo = enroll("done");
        var issue = readyIssue(repo, 12);

        tick();
        assertThat(state(repo)).isEqualTo("DISPATCHING");
        FakeExecutor.Thread thread = executor.latest(repo);
        assertThat(thread.start().prompt()).contains("AFK-Run: " + thread.runId(), "Refs #12");
        assertThat(thread.start().worktreePath()).isEqualTo("/work/worktrees/" + thread.runId());
        assertThat(issue.labels()).contains("agent-in-progress", "ready-for-agent");

        tick();
        assertThat(state(repo)).isEqualTo("WORKING");

        String sha = agentPushes(repo, "aaa1111");
        ci.script(sha, Outcome.PENDING, Outcome.GREEN);
        tick();
        assertThat(state(repo)).isEqualTo("AWAITING_CI");
        tick();
        assertThat(state(repo)).isEqualTo("AWAITING_CI");
        tick();

        JsonPath run = run(repo);
        assertThat(run.getString("run.state")).isEqualTo("DONE");
        assertThat(run.getString("run.commitSha")).isEqualTo(sha);
        assertThat(run.getString("run.threadLink")).contains(thread.id());
        assertThat(run.getList("timeline.to")).containsSubsequence("QUEUED", "DISPATCHING", "WORKING", "AWAITING_CI", "DONE");
        assertThat(run.getList("effects.doneAt")).doesNotContainNull();

        assertThat(issue.isOpen()).isFalse();
        assertThat(issue.closedByPipeline()).isEqualTo(1);
        assertThat(issue.labels()).doesNotContain("agent-in-progress");
        assertThat(issue.comments()).hasSize(1);
        assertThat(issue.comments().getFirst()).contains("DONE", "[x] done", "?thread=" + thread.id());
        assertThat(doorbell.kinds(repo)).containsExactly(Kind.DONE);
        assertThat(doorbell.rings(repo).getFirst().link().toString()).contains(thread.id());
        assertThat(workspaces.releasedKeeping(thread.runId())).isFalse();
        assertThat(ci.asked()).filteredOn(t -> t.repo().equals(repo)).allSatisfy(t -> {
            assertThat(t.deployments()).hasSize(1);
            assertThat(t.sha()).isEqualTo(sha);
        });

        // Nothing more happens for a finished run, and the closed issue is not dispatched again.
        ticks(2);
        assertThat(runs(repo)).hasSize(1);
        assertThat(executor.threads(repo)).hasSize(1);
    }
}
