package dev.afk.controlplane.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.fakes.CiDoorbellFakes;
import dev.afk.controlplane.fakes.anthropic.FakeMessagesApi;
import dev.afk.controlplane.fakes.anthropic.FakeMessagesApiResource;
import dev.afk.controlplane.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ci-diagnosis} through the real adapters: a red Woodpecker pipeline whose failed step's log
 * holds the error; the step log is read from the fake Woodpecker, its end reaches the fake Messages
 * API, and the diagnosis reaches the fix-forward prompt the fake T3 receives. With the model down,
 * fix-forward goes on and the timeline says why.
 */
@QuarkusTest
@TestProfile(EndToEndProfile.class)
class DiagnosisTests extends EndToEndScenario {

    private static final String ERROR = "GreeterTest > greets FAILED\n    java.lang.NullPointerException at Greeter.java:12";

    FakeMessagesApi model;

    @BeforeEach
    void resetModel() {
        model = FakeMessagesApiResource.fake();
        model.reset();
    }

    /** The agent pushes; its first commit's pipeline fails in step "test" with a long log that ends in the error. */
    List<String> redThenGreen(Fixture repo, int issue) {
        List<String> prompts = new CopyOnWriteArrayList<>();
        agent(repo, turn -> {
            prompts.add(turn.prompt());
            String sha = push(repo, turn, issue, "Attempt " + turn.turnNumber());
            boolean first = turn.turnNumber() == 1;
            long number = CiDoorbellFakes.woodpecker().addPipeline(repo.woodpeckerId(), sha, "main", first ? "failure" : "success",
                    first ? new String[] {"test"} : new String[0]);
            if (first) {
                CiDoorbellFakes.woodpecker().stepLog(repo.woodpeckerId(), number, "test",
                        "Downloading dependencies\n".repeat(5_000) + ERROR);
            }
        });
        return prompts;
    }

    void diagnosisAgent(Fixture repo) {
        String name = "ci-diagnosis-" + Math.abs(repo.slug().toString().hashCode());
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "nodeType", "ci-diagnosis", "config", Map.of("repo", repo.slug().toString())))
                .post("/api/agents/").then().statusCode(201);
        given().header("Authorization", Tokens.admin()).post("/api/agents/" + name + "/start").then().statusCode(200);
    }

    @Test
    void theFailedStepsLogTailIsDiagnosedAndTheDiagnosisReachesTheFixForwardPrompt() {
        Fixture repo = enroll("diagnosed");
        diagnosisAgent(repo);
        int issue = readyIssue(repo, "alice");
        List<String> prompts = redThenGreen(repo, issue);
        model.whenIdle(body -> model.toolAnswer(body, Map.of("cause", "Greeter.greet dereferences a null name",
                "files", List.of("src/main/java/Greeter.java"), "confidence", "high"), 3000, 60));

        tickUntil(repo, "DONE", 30);

        // The model read the end of the step's log, fenced as data, not its first ~120 KB.
        assertThat(model.calls()).hasSize(1);
        String prompt = new JsonObject(model.calls().getFirst().body()).getJsonArray("messages").getJsonObject(0)
                .getValue("content").toString();
        assertThat(prompt).contains("```text untrusted\n", "deploy/test", "java.lang.NullPointerException at Greeter.java:12");
        assertThat(prompt.length()).isLessThan(40_000);
        assertThat(CiDoorbellFakes.woodpecker().logReads()).anyMatch(path -> path.startsWith("/api/repos/" + repo.woodpeckerId() + "/logs/"));
        // The second turn is the fix-forward, and it carries the diagnosis.
        assertThat(prompts).hasSize(2);
        assertThat(prompts.get(1)).contains("Likely cause (high confidence): Greeter.greet dereferences a null name",
                "Files involved: src/main/java/Greeter.java");
        assertThat(run(repo).getList("timeline.detail", String.class)).anyMatch(line -> line.contains("diagnosed the failure"));
    }

    @Test
    void withTheModelDownFixForwardProceedsAndTheTimelineSaysSo() {
        Fixture repo = enroll("model-down");
        diagnosisAgent(repo);
        int issue = readyIssue(repo, "alice");
        List<String> prompts = redThenGreen(repo, issue);
        model.whenIdle(FakeMessagesApi::overloaded);

        tickUntil(repo, "DONE", 30);

        assertThat(model.calls()).isNotEmpty();
        assertThat(prompts).hasSize(2);
        assertThat(prompts.get(1)).contains("(none: no diagnosis was available; read the logs yourself)")
                .doesNotContain("Likely cause");
        assertThat(run(repo).getList("timeline.detail", String.class))
                .anyMatch(line -> line.contains("model_overloaded") && line.contains("fix-forward without a diagnosis"));
    }
}
