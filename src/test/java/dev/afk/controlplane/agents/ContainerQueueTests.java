package dev.afk.controlplane.agents;

import static dev.afk.controlplane.agents.AgentApi.PATH;
import static dev.afk.controlplane.agents.AgentApi.adopt;
import static dev.afk.controlplane.agents.AgentApi.as;
import static dev.afk.controlplane.agents.AgentApi.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.afk.controlplane.agents.container.ContainerQuestions;
import dev.afk.controlplane.agents.queue.OperatorQueue;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Container agents ask through their queue file, read and written back through podman's Docker API:
 * an item in a running container's file appears in the queue, and its answer lands in the file once.
 */
@QuarkusTest
class ContainerQueueTests {

    private static final String FILE = "/home/developer/.trinity/operator-queue.json";
    private static final String QUEUE = "/api/queue";
    private static EngineFixture engine;

    @Inject
    ContainerQuestions questions;

    @Inject
    OperatorQueue queue;

    @BeforeAll
    static void engine() {
        engine = new EngineFixture();
    }

    @AfterAll
    static void removeContainers() {
        engine.close();
    }

    private static String runningAgent(String hint, String owner) {
        String name = EngineFixture.agentName(hint);
        engine.createAgentContainer(name, "claude-code");
        adopt(name, owner, 2).statusCode(201);
        engine.start("agent-" + name);
        return name;
    }

    private JsonPath itemsOnceRead(String token, String agent, int expected) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            questions.readRunning().await().atMost(Duration.ofSeconds(20));
            return as(token).queryParam("agent", agent).get(QUEUE).then().statusCode(200).extract().jsonPath();
        }, page -> page.getInt("total") == expected);
    }

    @Test
    void anItemInTheContainersFileIsQueuedAndItsAnswerWrittenBackOnce() {
        String nina = person("nina-cq");
        String agent = runningAgent("cq", "nina-cq");
        engine.putFile("agent-" + agent, FILE, """
                {"items": [
                  {"id": "deploy-7", "kind": "approval", "text": "Deploy build 7 to staging?", "priority": "urgent",
                   "status": "pending"},
                  {"id": "old-1", "kind": "question", "text": "Long answered", "status": "answered", "answer": "yes"}
                ]}""".getBytes(StandardCharsets.UTF_8));

        JsonPath page = itemsOnceRead(nina, agent, 1);
        assertThat(page.getString("items[0].source")).isEqualTo("container");
        assertThat(page.getString("items[0].sourceRef")).isEqualTo("deploy-7");
        assertThat(page.getString("items[0].priority")).isEqualTo("urgent");
        assertThat(page.getList("items[0].options")).containsExactly("approve", "deny");
        String id = page.getString("items[0].id");

        as(nina).body("{\"answer\":\"approve\"}").post(QUEUE + "/" + id + "/answer").then().statusCode(200)
                .body("relayState", equalTo("relayed"));
        as(nina).body("{\"answer\":\"deny\"}").post(QUEUE + "/" + id + "/answer").then().statusCode(409);
        queue.relayOwed().await().atMost(Duration.ofSeconds(10));

        JsonObject file = new JsonObject(engine.readFile("agent-" + agent, FILE));
        JsonObject answered = file.getJsonArray("items").getJsonObject(0);
        assertThat(answered.getString("status")).isEqualTo("answered");
        assertThat(answered.getString("answer")).isEqualTo("approve");
        assertThat(answered.getString("answeredBy")).isEqualTo("nina-cq");
        assertThat(answered.getString("queueId")).isEqualTo(id);
        assertThat(file.getJsonArray("items").getJsonObject(1).getString("answer")).isEqualTo("yes");

        // Read again (the file changed): the answered item is not raised again, nothing is written twice.
        questions.readRunning().await().atMost(Duration.ofSeconds(20));
        questions.readRunning().await().atMost(Duration.ofSeconds(20));
        as(nina).queryParam("agent", agent).get(QUEUE).then().body("total", equalTo(1))
                .body("items[0].state", equalTo("answered"));
        assertThat(new JsonObject(engine.readFile("agent-" + agent, FILE))).isEqualTo(file);
    }

    @Test
    void aMalformedOrOversizedFileIsRefusedAndRecordedOnceNeverRetried() {
        String nina = person("nina-cqbad");
        String garbled = runningAgent("cqbad", "nina-cqbad");
        engine.putFile("agent-" + garbled, FILE, "{\"items\": [{\"id\": \"x\", ".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            questions.readRunning().await().atMost(Duration.ofSeconds(20));
            return queue.rejections(garbled).await().atMost(Duration.ofSeconds(5));
        }, n -> n == 1);
        questions.readRunning().await().atMost(Duration.ofSeconds(20));
        questions.readRunning().await().atMost(Duration.ofSeconds(20));
        assertThat(queue.rejections(garbled).await().atMost(Duration.ofSeconds(5))).isEqualTo(1);

        // One good item and one malformed one: the good one is queued, the other recorded.
        engine.putFile("agent-" + garbled, FILE, """
                {"items": [{"id": "ok-1", "kind": "question", "text": "Which region?"},
                           {"id": "bad 2", "kind": "question", "text": "spaces in the id"}]}"""
                .getBytes(StandardCharsets.UTF_8));
        itemsOnceRead(nina, garbled, 1);
        assertThat(queue.rejections(garbled).await().atMost(Duration.ofSeconds(5))).isEqualTo(2);

        String huge = runningAgent("cqhuge", "nina-cqbad");
        engine.putFile("agent-" + huge, FILE, ("{\"items\": [], \"pad\": \"" + "x".repeat(300_000) + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            questions.readRunning().await().atMost(Duration.ofSeconds(20));
            return queue.rejections(huge).await().atMost(Duration.ofSeconds(5));
        }, n -> n == 1);
        questions.readRunning().await().atMost(Duration.ofSeconds(20));
        assertThat(queue.rejections(huge).await().atMost(Duration.ofSeconds(5))).isEqualTo(1);
    }

    @Test
    void anAnswerStartsAStoppedContainerAgentThatAsksForIt() {
        String nina = person("nina-cqwake");
        String agent = runningAgent("cqwake", "nina-cqwake");
        engine.putFile("agent-" + agent, FILE, """
                {"items": [{"id": "q-1", "kind": "question", "text": "Which region?"}]}""".getBytes(StandardCharsets.UTF_8));
        String id = itemsOnceRead(nina, agent, 1).getString("items[0].id");
        as(nina).post(PATH + "/" + agent + "/stop").then().statusCode(200).body("status", equalTo("stopped"));
        as(nina).body("{\"wakeOnAnswer\":true}").put(PATH + "/" + agent + "/settings").then().statusCode(200);

        as(nina).body("{\"answer\":\"eu-west\"}").post(QUEUE + "/" + id + "/answer").then().statusCode(200)
                .body("relayState", equalTo("relayed"));

        as(nina).get(PATH + "/" + agent + "/status").then().body("status", equalTo("running"));
        JsonObject answered = new JsonObject(engine.readFile("agent-" + agent, FILE)).getJsonArray("items").getJsonObject(0);
        assertThat(answered.getString("answer")).isEqualTo("eu-west");
        assertThat(answered.getString("queueId")).isEqualTo(id);
    }

    @Test
    void aStoppedContainerAgentStaysStoppedByDefaultAndStillGetsTheAnswer() {
        String nina = person("nina-cqsleep");
        String agent = runningAgent("cqsleep", "nina-cqsleep");
        engine.putFile("agent-" + agent, FILE, """
                {"items": [{"id": "q-1", "kind": "question", "text": "Which region?"}]}""".getBytes(StandardCharsets.UTF_8));
        String id = itemsOnceRead(nina, agent, 1).getString("items[0].id");
        as(nina).post(PATH + "/" + agent + "/stop").then().statusCode(200).body("status", equalTo("stopped"));

        as(nina).body("{\"answer\":\"us-east\"}").post(QUEUE + "/" + id + "/answer").then().statusCode(200)
                .body("relayState", equalTo("relayed"));

        as(nina).get(PATH + "/" + agent + "/status").then().body("status", equalTo("stopped"));
        assertThat(new JsonObject(engine.readFile("agent-" + agent, FILE)).getJsonArray("items").getJsonObject(0)
                .getString("answer")).isEqualTo("us-east");
    }
}
