package dev.afk.controlplane.afk.scenarios;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.afk.fakes.FakeExecutor;
import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.notify.Doorbell.Kind;
import dev.afk.controlplane.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

@QuarkusTest
class EscalationTests extends PipelineScenario {

    @Test
    void finishingWithoutPushingEscalatesAndARetryStartsOver() {
        RepoSlug repo = enroll("prepush");
        FakeExecutor.Thread thread = working(repo, 4);
        thread.finish();
        tick();
        assertThat(state(repo)).isEqualTo("WORKING"); // a push may take a moment to show
        clock.advanceMinutes(3);
        tick();

        JsonPath run = run(repo);
        assertThat(run.getString("run.state")).isEqualTo("ESCALATED");
        assertThat(run.getString("run.outcomeReason")).contains("without pushing");
        var issue = tracker.existing(repo, 4);
        assertThat(issue.labels()).contains("ready-for-human").doesNotContain("ready-for-agent", "agent-in-progress");
        assertThat(doorbell.kinds(repo)).containsExactly(Kind.NEEDS_HUMAN);
        assertThat(repoView(repo).getBoolean("frozen")).isFalse();

        // Not dispatched again by itself (G4).
        ticks(2);
        assertThat(runs(repo)).hasSize(1);

        String oldId = run.getString("run.id");
        given().header("Authorization", Tokens.viewer()).post("/api/afk/runs/" + oldId + "/retry").then().statusCode(403);
        String newId = given().header("Authorization", Tokens.operator()).post("/api/afk/runs/" + oldId + "/retry")
                .then().statusCode(201).extract().path("id");
        given().header("Authorization", Tokens.operator()).post("/api/afk/runs/" + oldId + "/retry")
                .then().statusCode(409).contentType("application/problem+json");
        assertThat(issue.labels()).contains("ready-for-agent").doesNotContain("ready-for-human");
        ticks(2);
        assertThat(detail(newId).getString("run.state")).isEqualTo("WORKING");
        assertThat(detail(newId).getString("run.retryOf")).isEqualTo(oldId);
        assertThat(executor.threads(repo)).hasSize(2);
    }

    @Test
    void aQuestionIsAnsweredThroughTheApiAndTheRunFinishes() {
        RepoSlug repo = enroll("question");
        FakeExecutor.Thread thread = working(repo, 8);
        thread.ask("req-1", "Postgres or SQLite?");
        tick();

        JsonPath run = run(repo);
        String id = run.getString("run.id");
        assertThat(run.getString("run.state")).isEqualTo("NEEDS_INPUT");
        assertThat(run.getString("run.pendingRequest.text")).isEqualTo("Postgres or SQLite?");
        assertThat(doorbell.rings(repo)).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(Kind.NEEDS_HUMAN);
            assertThat(r.message()).isEqualTo("Postgres or SQLite?");
        });
        // Waiting on a human is not a stall.
        clock.advanceMinutes(45);
        tick();
        assertThat(state(repo)).isEqualTo("NEEDS_INPUT");

        given().header("Authorization", Tokens.viewer()).contentType(ContentType.JSON).body("{\"answer\": \"Postgres\"}")
                .post("/api/afk/runs/" + id + "/answer").then().statusCode(403);
        given().header("Authorization", Tokens.operator()).contentType(ContentType.JSON).body("{\"answer\": \" \"}")
                .post("/api/afk/runs/" + id + "/answer").then().statusCode(400).contentType("application/problem+json");
        given().header("Authorization", Tokens.operator()).contentType(ContentType.JSON).body("{\"answer\": \"Postgres\"}")
                .post("/api/afk/runs/" + id + "/answer").then().statusCode(200);
        tick();
        assertThat(thread.answers()).containsExactly("Postgres");
        assertThat(state(repo)).isEqualTo("WORKING");
        given().header("Authorization", Tokens.operator()).contentType(ContentType.JSON).body("{\"answer\": \"again\"}")
                .post("/api/afk/runs/" + id + "/answer").then().statusCode(409);

        ci.script("ans0001", Outcome.GREEN);
        agentPushes(repo, "ans0001");
        ticks(2);
        assertThat(state(repo)).isEqualTo("DONE");
        assertThat(detail(id).getList("timeline.detail")).anySatisfy(d -> assertThat((String) d).contains("answered by otto"));
    }

    @Test
    void ciPendingPastItsLimitEscalates() {
        RepoSlug repo = enroll("ci-slow");
        working(repo, 2);
        agentPushes(repo, "slow001");
        ticks(2);
        assertThat(state(repo)).isEqualTo("AWAITING_CI");
        clock.advanceMinutes(46);
        tick();
        assertThat(state(repo)).isEqualTo("ESCALATED");
        assertThat(run(repo).getString("run.outcomeReason")).contains("pending");
    }

    @Test
    void ciNeedingApprovalEscalates() {
        RepoSlug repo = enroll("ci-approval");
        working(repo, 2);
        ci.script("appr001", Outcome.ACTION_REQUIRED);
        agentPushes(repo, "appr001");
        ticks(2);
        assertThat(state(repo)).isEqualTo("ESCALATED");
        assertThat(run(repo).getString("run.outcomeReason")).contains("approval");
    }

    @Test
    void aStalledAgentIsInterruptedAndEscalated() {
        RepoSlug repo = enroll("stall");
        FakeExecutor.Thread thread = working(repo, 6);
        clock.advanceMinutes(19);
        tick();
        assertThat(state(repo)).isEqualTo("WORKING");
        clock.advanceMinutes(2);
        tick();
        assertThat(state(repo)).isEqualTo("ESCALATED");
        assertThat(run(repo).getString("run.outcomeReason")).contains("stalled");
        assertThat(thread.interrupts()).isEqualTo(1);
    }

    @Test
    void theCostCapIsEnforcedWhenReported() {
        RepoSlug repo = enroll("cost");
        FakeExecutor.Thread thread = working(repo, 6);
        thread.usage(12, 40.0).progress();
        tick();
        assertThat(run(repo).getDouble("run.costUsd")).isEqualTo(40.0);
        thread.usage(30, 100.5).progress();
        tick();
        assertThat(state(repo)).isEqualTo("ESCALATED");
        assertThat(run(repo).getString("run.outcomeReason")).contains("cost cap");
    }
}
