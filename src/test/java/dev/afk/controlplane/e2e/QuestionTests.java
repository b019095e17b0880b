package dev.afk.controlplane.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(EndToEndProfile.class)
class QuestionTests extends EndToEndScenario {

    @Test
    void anOperatorsAnswerReachesTheAgentWhichThenShips() {
        Fixture repo = enroll("question");
        int issue = readyIssue(repo, "alice");
        join(() -> poller.tick());
        RunId runId = RunId.parse((String) runs(repo).getFirst().get("id"));
        AtomicReference<String> pushed = new AtomicReference<>();
        FakeT3Resource.server().onTurnStart(RunIds.thread(runId), AgentScript.askQuestion("Postgres or SQLite?", "Postgres", "SQLite")
                .doing(turn -> {
                    pushed.set(push(repo, turn, issue, "Store greetings in Postgres"));
                    CiDoorbellFakes.woodpecker().addPipeline(repo.woodpeckerId(), pushed.get(), "main", "success");
                }));

        JsonPath waiting = tickUntil(repo, "NEEDS_INPUT", 10);
        assertThat(waiting.getString("run.pendingRequest.text")).contains("Postgres or SQLite?");
        String ref = repo.slug() + "#" + issue;
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(CiDoorbellFakes.ntfy().published())
                .filteredOn(m -> m.path("title").asText().contains(ref))
                .singleElement().satisfies(m -> assertThat(m.path("priority").asInt()).isEqualTo(4)));

        given().header("Authorization", Tokens.operator()).contentType(ContentType.JSON).body("{\"answer\": \"Postgres\"}")
                .post("/api/afk/runs/" + runId + "/answer").then().statusCode(200);

        JsonPath done = tickUntil(repo, "DONE", 10);
        assertThat(done.getString("run.commitSha")).isEqualTo(pushed.get());
        assertThat(done.getList("timeline.to")).containsSubsequence("WORKING", "NEEDS_INPUT", "AWAITING_CI", "DONE");
        assertThat(repo.github().issue(issue).state).isEqualTo("closed");
        assertThat(repo.github().comments(issue)).hasSize(1);
    }
}
