package dev.afk.controlplane.afk.scenarios;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.afk.fakes.FakeExecutor;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CancelTests extends PipelineScenario {

    @Test
    void closingTheIssueCancelsAndInterrupts() {
        RepoSlug repo = enroll("cancel-close");
        FakeExecutor.Thread thread = working(repo, 1);
        tracker.existing(repo, 1).close();
        tick();
        assertThat(state(repo)).isEqualTo("CANCELLED");
        assertThat(run(repo).getString("run.outcomeReason")).contains("closed");
        assertThat(thread.interrupts()).isEqualTo(1);
        assertThat(tracker.existing(repo, 1).labels()).doesNotContain("agent-in-progress");
        assertThat(workspaces.releasedKeeping(thread.runId())).isFalse();
        assertThat(doorbell.rings(repo)).isEmpty();
    }

    @Test
    void removingTheReadyLabelCancels() {
        RepoSlug repo = enroll("cancel-unlabel");
        FakeExecutor.Thread thread = working(repo, 1);
        tracker.existing(repo, 1).unlabel("ready-for-agent");
        tick();
        assertThat(state(repo)).isEqualTo("CANCELLED");
        assertThat(run(repo).getString("run.outcomeReason")).contains("removed");
        assertThat(thread.interrupts()).isEqualTo(1);
        ticks(2);
        assertThat(runs(repo)).hasSize(1);
    }

    @Test
    void anOperatorCancelsThroughTheApi() {
        RepoSlug repo = enroll("cancel-api");
        FakeExecutor.Thread thread = working(repo, 1);
        String id = run(repo).getString("run.id");
        given().header("Authorization", Tokens.viewer()).post("/api/afk/runs/" + id + "/cancel").then().statusCode(403);
        given().header("Authorization", Tokens.operator()).post("/api/afk/runs/" + id + "/cancel").then().statusCode(200);
        tick();
        assertThat(state(repo)).isEqualTo("CANCELLED");
        assertThat(thread.interrupts()).isEqualTo(1);
        // The operator's cancel also takes the ready label off, or the next poll would start it again.
        assertThat(tracker.existing(repo, 1).labels()).doesNotContain("ready-for-agent", "agent-in-progress");
        ticks(2);
        assertThat(runs(repo)).hasSize(1);
        given().header("Authorization", Tokens.operator()).post("/api/afk/runs/" + id + "/cancel")
                .then().statusCode(409).contentType("application/problem+json");
        given().header("Authorization", Tokens.operator()).post("/api/afk/runs/not-a-run/cancel")
                .then().statusCode(404).contentType("application/problem+json");
    }
}
