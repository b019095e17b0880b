package dev.afk.controlplane.afk.scenarios;

import static io.restassured.RestAssured.given;


import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.fakes.anthropic.FakeMessagesApi;
import dev.afk.controlplane.fakes.anthropic.FakeMessagesApiResource;
import dev.afk.controlplane.support.Tokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/** A pipeline scenario with judgment agents, made through the registry API like any agent, and the fake model. */
abstract class JudgmentScenario extends PipelineScenario {

    static final String AGENTS = "/api/agents/";

    FakeMessagesApi model;

    @BeforeEach
    void resetModel() {
        model = FakeMessagesApiResource.fake();
        model.reset();
    }

    /** Creates and starts a native agent of the node type for the repository, as an admin would. */
    String agent(String nodeType, RepoSlug repo) {
        String name = nodeType + "-" + Math.abs(repo.toString().hashCode());
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "nodeType", nodeType, "config", Map.of("repo", repo.toString())))
                .post(AGENTS).then().statusCode(201);
        given().header("Authorization", Tokens.admin()).post(AGENTS + name + "/start").then().statusCode(200);
        return name;
    }

    List<Map<String, Object>> tasks(String agent) {
        return given().header("Authorization", Tokens.admin()).get(AGENTS + agent + "/tasks")
                .then().statusCode(200).extract().jsonPath().getList("");
    }

    /** The agent's newest task, once it ended. */
    JsonPath finishedTask(String agent) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            List<Map<String, Object>> all = tasks(agent);
            return !all.isEmpty() && List.of("success", "failed").contains(all.getFirst().get("status"));
        });
        String id = (String) tasks(agent).getFirst().get("id");
        return given().header("Authorization", Tokens.admin()).get(AGENTS + agent + "/tasks/" + id)
                .then().statusCode(200).extract().jsonPath();
    }
}
