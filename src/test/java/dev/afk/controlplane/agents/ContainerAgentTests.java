package dev.afk.controlplane.agents;

import static dev.afk.controlplane.agents.AgentApi.PATH;
import static dev.afk.controlplane.agents.AgentApi.admin;
import static dev.afk.controlplane.agents.AgentApi.adopt;
import static dev.afk.controlplane.agents.AgentApi.as;
import static dev.afk.controlplane.agents.AgentApi.createRouter;
import static dev.afk.controlplane.agents.AgentApi.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Container agents against podman's Docker API and the fake agent servers, through the REST API. */
@QuarkusTest
class ContainerAgentTests {

    private static EngineFixture engine;

    @BeforeAll
    static void engine() {
        engine = new EngineFixture();
    }

    @AfterAll
    static void removeContainers() {
        engine.close();
    }

    private static Map<String, Object> listed(String token, String name) {
        JsonPath list = as(token).queryParam("size", 500).get(PATH).then().statusCode(200).extract().jsonPath();
        return list.getMap("items.find { it.name == '" + name + "' }");
    }

    /**
     * The list follows the engine's events: the view reads the full list only when its event stream
     * connects, so only the event can bring the change. It shows within a second on a quiet machine;
     * the bound is generous because a loaded build machine once took longer.
     */
    private static Map<String, Object> listedSoon(String token, String name, String status) {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> listed(token, name), agent -> agent != null && status.equals(agent.get("status")));
    }

    private static String awaitTask(String token, String agent, String id, String status) {
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> as(token).get(PATH + "/" + agent + "/tasks/" + id).then().statusCode(200).extract().path("status"),
                status::equals);
    }

    @Test
    void adoptStartTaskLogsStatsStop() {
        String name = EngineFixture.agentName("full");
        engine.createAgentContainer(name, "claude-code");
        String nina = person("nina");

        adopt(name, "nina", 3, "coders").statusCode(201)
                .body("runtimeKind", equalTo("container"))
                .body("harness", equalTo("claude-code"))
                .body("owner", equalTo("nina"))
                .body("status", equalTo("stopped"))
                .body("container.sshPort", is(2222))
                .body("container.memory", equalTo("4g"))
                .body("features", hasItem("sessions"));
        adopt(name, "nina", 3).statusCode(409).body("type", equalTo("urn:afk:problem:agent-name-taken"));

        as(nina).post(PATH + "/" + name + "/start").then().statusCode(200)
                .body("status", equalTo("running")).body("desiredState", equalTo("running"));
        assertThat(listedSoon(nina, name, "running")).containsEntry("orphan", false);

        String id = as(nina).body("{\"message\":\"hello\"}").post(PATH + "/" + name + "/tasks").then().statusCode(202)
                .header("Location", containsString("/tasks/"))
                .body("status", equalTo("queued")).body("requestedBy", equalTo("nina"))
                .extract().path("id");
        awaitTask(nina, name, id, "success");
        as(nina).get(PATH + "/" + name + "/tasks/" + id).then()
                .body("result", equalTo("done: hello")).body("trigger", equalTo("manual"))
                .body("startedAt", notNullValue()).body("finishedAt", notNullValue());
        assertThat(FakeAgentServer.received()).contains(new FakeAgentServer.Received(name, id, "hello"));
        as(nina).get(PATH + "/" + name + "/tasks").then().body("id", hasItem(id));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Map<String, String>> lines = as(nina).get(PATH + "/" + name + "/logs").then().statusCode(200)
                    .extract().jsonPath().getList("lines");
            assertThat(lines).contains(Map.of("stream", "stdout", "text", "started"), Map.of("stream", "stderr", "text", "oops"));
        });
        as(nina).get(PATH + "/" + name + "/stats").then().statusCode(200).body("memoryUsedBytes", notNullValue());

        as(nina).post(PATH + "/" + name + "/stop").then().statusCode(200)
                .body("status", equalTo("stopped")).body("desiredState", equalTo("stopped"));
        as(nina).body("{\"message\":\"late\"}").post(PATH + "/" + name + "/tasks").then().statusCode(409);
    }

    @Test
    void aFailingAgentFailsTheTaskWithItsErrorCode() {
        String name = startedAgent("fails", 3);
        String nina = person("nina");
        String id = as(nina).body("{\"message\":\"fail please\"}").post(PATH + "/" + name + "/tasks").then().statusCode(202)
                .extract().path("id");
        awaitTask(nina, name, id, "failed");
        as(nina).get(PATH + "/" + name + "/tasks/" + id).then().body("errorCode", equalTo("auth"));
    }

    @Test
    void capacityFullIs429AndCancelStopsATask() {
        String name = startedAgent("busy", 1);
        String nina = person("nina");
        FakeAgentServer.holdAgain();
        String held = as(nina).body("{\"message\":\"hold on\"}").post(PATH + "/" + name + "/tasks").then().statusCode(202)
                .extract().path("id");
        as(nina).body("{\"message\":\"one more\"}").post(PATH + "/" + name + "/tasks").then().statusCode(429)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:afk:problem:agent-at-capacity"));

        awaitTask(nina, name, held, "running");
        as(nina).post(PATH + "/" + name + "/tasks/" + held + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled")).body("errorCode", equalTo("cancelled"));
        as(nina).post(PATH + "/" + name + "/tasks/" + held + "/cancel").then().statusCode(200);
        assertThat(FakeAgentServer.terminated()).containsOnlyOnce(held);
        FakeAgentServer.release();

        String next = as(nina).body("{\"message\":\"now\"}").post(PATH + "/" + name + "/tasks").then().statusCode(202)
                .extract().path("id");
        awaitTask(nina, name, next, "success");
        as(nina).post(PATH + "/" + name + "/tasks/" + next + "/cancel").then().statusCode(409)
                .body("type", equalTo("urn:afk:problem:task-finished"));
        as(nina).get(PATH + "/" + name + "/tasks/" + held).then().body("status", equalTo("cancelled"));
        as(nina).get(PATH + "/" + name + "/tasks/not-a-uuid").then().statusCode(404);
    }

    @Test
    void routerForwardsToTheLeastBusyRunningAgentWithTheTag() {
        String owner = "rita";
        String rita = person(owner);
        String tag = EngineFixture.agentName("pool");
        String busy = startedAgent("a-busy", 3, owner, tag);
        String idle = startedAgent("b-idle", 3, owner, tag);
        String stopped = EngineFixture.agentName("c-stopped");
        engine.createAgentContainer(stopped, "codex");
        adopt(stopped, owner, 3, tag).statusCode(201);

        FakeAgentServer.holdAgain();
        String holding = as(rita).body("{\"message\":\"hold the line\"}").post(PATH + "/" + busy + "/tasks").then()
                .statusCode(202).extract().path("id");

        String router = EngineFixture.agentName("router");
        createRouter(rita, router, tag).statusCode(201);
        as(rita).post(PATH + "/" + router + "/start").then().statusCode(200);
        String routed = as(rita).body("{\"message\":\"review this\"}").post(PATH + "/" + router + "/tasks").then()
                .statusCode(202).extract().path("id");
        awaitTask(rita, router, routed, "success");
        as(rita).get(PATH + "/" + router + "/tasks/" + routed).then().body("routedTo", equalTo(idle));

        JsonPath forwarded = as(rita).get(PATH + "/" + idle + "/tasks").then().statusCode(200).extract().jsonPath();
        Map<String, Object> child = forwarded.getMap("find { it.parentId == '" + routed + "' }");
        assertThat(child).containsEntry("trigger", "router").containsEntry("requestedBy", "agent:" + router)
                .containsEntry("message", "review this");
        awaitTask(rita, idle, (String) child.get("id"), "success");

        FakeAgentServer.release();
        awaitTask(rita, busy, holding, "success");
    }

    @Test
    void orphansAreForAdminsAndMissingContainersAreListed() {
        String orphan = EngineFixture.agentName("orphan");
        engine.createAgentContainer(orphan, "gemini-cli");
        String nina = person("nina");

        assertThat(listedSoon(admin(), orphan, "stopped")).containsEntry("orphan", true)
                .containsEntry("harness", "gemini-cli");
        assertThat(listed(nina, orphan)).isNull();
        as(admin()).get(PATH + "/" + orphan).then().statusCode(200).body("orphan", is(true))
                .body("features", not(hasItem("sessions")));
        as(nina).get(PATH + "/" + orphan).then().statusCode(404);
        as(admin()).post(PATH + "/" + orphan + "/start").then().statusCode(409)
                .body("type", equalTo("urn:afk:problem:agent-orphan"));

        String gone = EngineFixture.agentName("gone");
        engine.createAgentContainer(gone, "claude-code");
        adopt(gone, "nina", 3).statusCode(201);
        engine.remove("agent-" + gone);

        assertThat(listedSoon(nina, gone, "missing")).containsEntry("needsStart", true);
        as(nina).get(PATH + "/" + gone).then().statusCode(200).body("status", equalTo("missing")).body("needsStart", is(true));
        as(nina).get(PATH + "/" + gone + "/status").then().body("status", equalTo("missing")).body("needsStart", is(true));
        as(nina).post(PATH + "/" + gone + "/start").then().statusCode(409)
                .body("type", equalTo("urn:afk:problem:container-missing"));
        as(nina).get(PATH + "/" + gone).then().body("desiredState", equalTo("stopped"));
        as(nina).delete(PATH + "/" + gone).then().statusCode(204);
    }

    @Test
    void adoptingNeedsAnAdminAndAContainer() {
        String name = EngineFixture.agentName("noadopt");
        as(person("nina")).body("{\"name\":\"" + name + "\"}").post(PATH + "/adopt").then().statusCode(403);
        adopt(name, "nina", 3).statusCode(409).body("type", equalTo("urn:afk:problem:no-container"));
    }

    private static String startedAgent(String hint, int capacity) {
        return startedAgent(hint, capacity, "nina");
    }

    private static String startedAgent(String hint, int capacity, String owner, String... tags) {
        String name = EngineFixture.agentName(hint);
        engine.createAgentContainer(name, "claude-code");
        adopt(name, owner, capacity, tags).statusCode(201);
        as(person(owner)).post(PATH + "/" + name + "/start").then().statusCode(200).body("status", equalTo("running"));
        listedSoon(person(owner), name, "running"); // routers choose among the agents the list shows running
        return name;
    }

    @Test
    void aContainerCreatedStartedOrRemovedOutsideTheServiceShowsWithinASecond() {
        String root = admin();
        await().atMost(Duration.ofSeconds(30)).until(() -> "available".equals(
                as(root).queryParam("size", 1).get(PATH).then().statusCode(200).extract().path("sources.engine")));
        String name = EngineFixture.agentName("outside");

        engine.createAgentContainer(name, "codex");
        assertThat(listedSoon(root, name, "stopped")).containsEntry("orphan", true).containsEntry("harness", "codex");

        engine.start("agent-" + name);
        listedSoon(root, name, "running");

        engine.remove("agent-" + name);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50)).until(() -> listed(root, name) == null);
    }
}
