package dev.afk.controlplane.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.afk.controlplane.afk.registry.ImplementerAgents;
import dev.afk.controlplane.afk.runs.RunIds;
import dev.afk.controlplane.common.RunId;
import dev.afk.controlplane.fakes.CiDoorbellFakes;
import dev.afk.controlplane.fakes.t3.AgentScript;
import dev.afk.controlplane.fakes.t3.FakeT3Resource;
import dev.afk.controlplane.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A run waiting on T3 asks through the operator queue of its repository's agent: one item per T3
 * request, and whichever route answers it, the thread gets exactly one respond command.
 */
@QuarkusTest
@TestProfile(EndToEndProfile.class)
class QueueQuestionTests extends EndToEndScenario {

    private static JsonPath items(Fixture repo) {
        return given().header("Authorization", Tokens.admin())
                .queryParam("agent", ImplementerAgents.agentName(repo.slug()))
                .get("/api/queue").then().statusCode(200).extract().jsonPath();
    }

    private static List<JsonNode> responds(String type, RunId run) {
        return FakeT3Resource.server().dispatched().stream()
                .filter(c -> type.equals(c.path("type").asText()) && RunIds.thread(run).equals(c.path("threadId").asText()))
                .toList();
    }

    private RunId waitingRun(Fixture repo, AgentScript script, int issue) {
        join(() -> poller.tick());
        RunId runId = RunId.parse((String) runs(repo).getFirst().get("id"));
        FakeT3Resource.server().onTurnStart(RunIds.thread(runId), script.doing(turn -> {
            String pushed = push(repo, turn, issue, "Store greetings");
            CiDoorbellFakes.woodpecker().addPipeline(repo.woodpeckerId(), pushed, "main", "success");
        }));
        tickUntil(repo, "NEEDS_INPUT", 10);
        return runId;
    }

    @Test
    void aQuestionAnsweredInTheQueueResumesTheThreadOnce() {
        Fixture repo = enroll("queue-question");
        int issue = readyIssue(repo, "alice");
        RunId runId = waitingRun(repo, AgentScript.askQuestion("Postgres or SQLite?", "Postgres", "SQLite"), issue);
        String requestId = run(repo).getString("run.pendingRequest.requestId");

        tick(); // the same request observed again is the same item
        JsonPath queued = items(repo);
        assertThat(queued.getInt("total")).isEqualTo(1);
        Map<String, Object> item = queued.getMap("items[0]");
        assertThat(item).containsEntry("source", "t3").containsEntry("sourceRef", requestId)
                .containsEntry("kind", "question").containsEntry("state", "pending").containsEntry("addressee", "role:operator");
        assertThat((String) item.get("text")).contains("Postgres or SQLite?");
        String id = (String) item.get("id");

        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON).body("{\"answer\": \"Postgres\"}")
                .post("/api/queue/" + id + "/answer").then().statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("answered"))
                .body("relayState", org.hamcrest.Matchers.equalTo("relayed"));
        // One answer: neither route takes a second.
        given().header("Authorization", Tokens.operator()).contentType(ContentType.JSON).body("{\"answer\": \"SQLite\"}")
                .post("/api/afk/runs/" + runId + "/answer").then().statusCode(409).contentType("application/problem+json");
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON).body("{\"answer\": \"SQLite\"}")
                .post("/api/queue/" + id + "/answer").then().statusCode(409);

        JsonPath done = tickUntil(repo, "DONE", 10);
        assertThat(done.getList("timeline.to")).containsSubsequence("WORKING", "NEEDS_INPUT", "AWAITING_CI", "DONE");
        assertThat(done.getList("timeline.detail")).anySatisfy(d -> assertThat((String) d).contains("answered by ada: Postgres"));
        List<JsonNode> answers = responds("thread.user-input.respond", runId);
        assertThat(answers).singleElement().satisfies(c -> {
            assertThat(c.path("requestId").asText()).isEqualTo(requestId);
            assertThat(c.path("answers").toString()).contains("Postgres");
        });
        assertThat(items(repo).getInt("total")).isEqualTo(1);
    }

    @Test
    void anApprovalAnsweredOnTheRunsRouteClosesItsItemWithoutASecondRelay() {
        Fixture repo = enroll("queue-approval");
        int issue = readyIssue(repo, "alice");
        RunId runId = waitingRun(repo, AgentScript.requestApproval("rm -rf build"), issue);
        String requestId = run(repo).getString("run.pendingRequest.requestId");

        Map<String, Object> item = items(repo).getMap("items[0]");
        assertThat(item).containsEntry("kind", "approval").containsEntry("sourceRef", requestId)
                .containsEntry("options", List.of("accept", "decline"));
        String id = (String) item.get("id");

        given().header("Authorization", Tokens.operator()).contentType(ContentType.JSON).body("{\"answer\": \"accept\"}")
                .post("/api/afk/runs/" + runId + "/answer").then().statusCode(200);
        given().header("Authorization", Tokens.admin()).get("/api/queue/" + id).then().statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("answered"))
                .body("answer", org.hamcrest.Matchers.equalTo("accept"))
                .body("answeredBy", org.hamcrest.Matchers.equalTo("otto"))
                .body("relayState", org.hamcrest.Matchers.equalTo("relayed"));
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON).body("{\"answer\": \"decline\"}")
                .post("/api/queue/" + id + "/answer").then().statusCode(409);

        tickUntil(repo, "DONE", 10);
        assertThat(responds("thread.approval.respond", runId)).singleElement()
                .satisfies(c -> assertThat(c.path("decision").asText()).isEqualTo("accept"));
    }
}
