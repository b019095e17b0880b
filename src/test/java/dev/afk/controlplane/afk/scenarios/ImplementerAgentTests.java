package dev.afk.controlplane.afk.scenarios;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.afk.controlplane.afk.registry.ImplementerAgents;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each enrolled repository is an {@code afk-implementer} agent in the registry. */
@QuarkusTest
class ImplementerAgentTests extends PipelineScenario {

    private static final String AGENTS = "/api/agents/";

    @Inject
    Pool pool;

    JsonPath agent(String name) {
        return given().header("Authorization", Tokens.admin()).get(AGENTS + name)
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void enrollingARepositoryListsItsAgent() {
        RepoSlug repo = enroll("agent-listed");
        String name = ImplementerAgents.agentName(repo);

        JsonPath detail = agent(name);
        assertThat(detail.getString("runtimeKind")).isEqualTo("native");
        assertThat(detail.getString("nodeType")).isEqualTo("afk-implementer");
        assertThat(detail.getString("owner")).isEqualTo("ada");
        assertThat(detail.getString("status")).isEqualTo("running");
        assertThat(detail.getString("nodeConfig.repo")).isEqualTo(repo.toString());
        assertThat(detail.getList("features", String.class))
                .containsExactlyInAnyOrder("overview", "tasks", "settings", "sharing");

        List<Map<String, Object>> listed = given().header("Authorization", Tokens.admin())
                .queryParam("kind", "native").queryParam("size", 500).get(AGENTS)
                .then().statusCode(200).extract().jsonPath().getList("items");
        assertThat(listed).anySatisfy(item -> {
            assertThat(item).containsEntry("name", name).containsEntry("nodeType", "afk-implementer");
        });
        // Others see it only as the registry's access rules allow: not owned, not shared.
        given().header("Authorization", Tokens.viewer()).get(AGENTS + name).then().statusCode(404);
    }

    @Test
    void stoppingPausesTheRepositoryAndStartingResumesIt() {
        RepoSlug repo = enroll("agent-levers");
        String name = ImplementerAgents.agentName(repo);

        given().header("Authorization", Tokens.admin()).post(AGENTS + name + "/stop")
                .then().statusCode(200).body("status", equalTo("stopped"));
        assertThat(repoView(repo).getBoolean("paused")).isTrue();
        assertThat(agent(name).getString("status")).isEqualTo("stopped");
        readyIssue(repo, 1);
        tick();
        assertThat(runs(repo)).isEmpty();

        given().header("Authorization", Tokens.admin()).post(AGENTS + name + "/start")
                .then().statusCode(200).body("status", equalTo("running"));
        assertThat(repoView(repo).getBoolean("paused")).isFalse();
        assertThat(agent(name).getString("status")).isEqualTo("running");
        tick();
        assertThat(runs(repo)).hasSize(1);
    }

    @Test
    void pausingTheRepositoryStopsItsAgent() {
        RepoSlug repo = enroll("agent-mirror");
        String name = ImplementerAgents.agentName(repo);
        given().header("Authorization", Tokens.operator()).post("/api/afk/repos/" + repo + "/pause").then().statusCode(200);
        assertThat(agent(name).getString("status")).isEqualTo("stopped");
        given().header("Authorization", Tokens.operator()).post("/api/afk/repos/" + repo + "/resume").then().statusCode(200);
        assertThat(agent(name).getString("status")).isEqualTo("running");
    }

    @Test
    void theRepositorysRunsAreTheAgentsTasks() {
        RepoSlug repo = enroll("agent-tasks");
        String name = ImplementerAgents.agentName(repo);
        readyIssue(repo, 7);
        ticks(2);
        assertThat(state(repo)).isEqualTo("WORKING");
        String runId = run(repo).getString("run.id");

        JsonPath tasks = given().header("Authorization", Tokens.admin()).get(AGENTS + name + "/tasks")
                .then().statusCode(200).extract().jsonPath();
        assertThat(tasks.getList("id", String.class)).containsExactly(runId);
        assertThat(tasks.getString("[0].status")).isEqualTo("running");
        assertThat(tasks.getString("[0].trigger")).isEqualTo("issue");
        assertThat(tasks.getString("[0].requestedBy")).isEqualTo("alice");
        assertThat(tasks.getString("[0].message")).isEqualTo("#7 Issue 7");
        given().header("Authorization", Tokens.admin()).get(AGENTS + name + "/tasks/" + runId)
                .then().statusCode(200).body("status", equalTo("running")).body("agent", equalTo(name));

        given().header("Authorization", Tokens.operator()).post("/api/afk/runs/" + runId + "/cancel").then().statusCode(200);
        tick();
        given().header("Authorization", Tokens.admin()).get(AGENTS + name + "/tasks/" + runId)
                .then().statusCode(200).body("status", equalTo("cancelled")).body("finishedAt", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void tasksAreNotCreatedOrCancelledThroughTheRegistry() {
        RepoSlug repo = enroll("agent-no-submit");
        String name = ImplementerAgents.agentName(repo);
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON).body("{\"message\": \"do it\"}")
                .post(AGENTS + name + "/tasks")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:afk:problem:tasks-managed-elsewhere"))
                .body("detail", containsString("labels an issue"));
        given().header("Authorization", Tokens.admin()).get(AGENTS + name + "/tasks")
                .then().statusCode(200).body("size()", equalTo(0));

        readyIssue(repo, 1);
        ticks(2);
        String runId = run(repo).getString("run.id");
        given().header("Authorization", Tokens.admin()).post(AGENTS + name + "/tasks/" + runId + "/cancel")
                .then().statusCode(409).body("type", equalTo("urn:afk:problem:tasks-managed-elsewhere"));
        assertThat(state(repo)).isEqualTo("WORKING");
    }

    @Test
    void theRegistryApiCreatesNoPipelineAgents() {
        RepoSlug repo = enroll("agent-viewer-made");
        for (String token : List.of(Tokens.viewer(), Tokens.admin())) {
            given().header("Authorization", token).contentType(ContentType.JSON)
                    .body("{\"name\": \"made-by-hand-%d\", \"nodeType\": \"afk-implementer\", \"config\": {\"repo\": \"%s\"}}"
                            .formatted(System.nanoTime() % 100000, repo))
                    .post(AGENTS).then().statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString("afk-implementer"));
        }
        assertThat(repoView(repo).getBoolean("paused")).isFalse();
    }

    @Test
    void onlyAnOperatorPausesARepositoryThroughItsAgent() {
        RepoSlug repo = enroll("agent-viewer-owned");
        // As the registry API let a viewer make one before it refused pipeline node types.
        String name = "viewer-owned-" + System.nanoTime() % 100000;
        insertAgent(name, "vera", "afk-implementer", "{\"repo\": \"%s\"}".formatted(repo));

        given().header("Authorization", Tokens.viewer()).post(AGENTS + name + "/stop")
                .then().statusCode(403).contentType("application/problem+json");
        assertThat(repoView(repo).getBoolean("paused")).isFalse();
        given().header("Authorization", Tokens.viewer()).post(AGENTS + name + "/start").then().statusCode(403);
    }

    @Test
    void thePipelinesAgentNamesAreReserved() {
        given().header("Authorization", Tokens.viewer()).contentType(ContentType.JSON)
                .body("{\"name\": \"afk-acme-squat\", \"nodeType\": \"router\", \"config\": {\"tag\": \"x\"}}")
                .post(AGENTS).then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("reserved"));
        given().header("Authorization", Tokens.admin()).get(AGENTS + "afk-acme-squat").then().statusCode(404);
    }

    @Test
    void enrollingNeverBindsToAnAgentItDidNotCreate() {
        RepoSlug repo = RepoSlug.parse("scenario/squatted-" + System.nanoTime() % 100000);
        String name = ImplementerAgents.agentName(repo);
        // Taken before the repository was enrolled, as the registry API allowed before the names were reserved.
        insertAgent(name, "vera", "router", "{\"tag\": \"x\"}");
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"repo\": \"%s\", \"defaultBranch\": \"main\", \"cloneUrl\": \"https://git.example/%s.git\"}"
                        .formatted(repo, repo))
                .post("/api/afk/repos").then().statusCode(201);
        given().header("Authorization", Tokens.viewer()).post(AGENTS + name + "/start").then().statusCode(200);

        given().header("Authorization", Tokens.operator()).post("/api/afk/repos/" + repo + "/pause").then().statusCode(200);

        JsonPath squatter = agent(name);
        assertThat(squatter.getString("nodeType")).isEqualTo("router");
        assertThat(squatter.getString("status")).isEqualTo("running");
    }

    private void insertAgent(String name, String owner, String nodeType, String config) {
        await(() -> pool.preparedQuery("insert into agent (name, owner, runtime_kind, node_type, node_config, desired_state, "
                        + "created_at, updated_at) values ($1, $2, 'native', $3, $4, 'running', now(), now())")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(name, owner, nodeType, new io.vertx.core.json.JsonObject(config)))
                .replaceWithVoid());
    }
}
