package dev.afk.controlplane.agents;

import static dev.afk.controlplane.agents.AgentApi.PATH;
import static dev.afk.controlplane.agents.AgentApi.admin;
import static dev.afk.controlplane.agents.AgentApi.as;
import static dev.afk.controlplane.agents.AgentApi.createRouter;
import static dev.afk.controlplane.agents.AgentApi.person;
import static dev.afk.controlplane.agents.AgentApi.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.afk.controlplane.agents.queue.OperatorQueue;
import dev.afk.controlplane.agents.queue.OperatorQueue.Raised;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The operator queue through its API: raising, answering once, caps, expiry, access, malformed items. */
@QuarkusTest
class OperatorQueueTests {

    private static final String QUEUE = "/api/queue";

    @Inject
    OperatorQueue queue;

    @Inject
    RecordingRelay relay;

    private static String agentOf(String owner) {
        String name = EngineFixture.agentName("q");
        createRouter(owner, name, "pool").statusCode(201);
        return name;
    }

    private static Map<String, Object> question(String id, Object... more) {
        Map<String, Object> item = new HashMap<>(Map.of("id", id, "kind", "question", "text", "Which branch?"));
        for (int i = 0; i < more.length; i += 2) {
            item.put((String) more[i], more[i + 1]);
        }
        return item;
    }

    private Raised raise(String agent, Map<String, Object> item) {
        return queue.raise(agent, RecordingRelay.SOURCE, item).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void anAnswerReachesTheAgentExactlyOnce() {
        String nina = person("nina-q");
        String agent = agentOf(nina);
        Raised raised = raise(agent, question("ask-1", "options", List.of("main", "dev"), "priority", "high"));
        assertThat(raised.accepted()).isTrue();
        UUID id = raised.item().id();

        as(nina).queryParam("agent", agent).get(QUEUE).then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].id", equalTo(id.toString()))
                .body("items[0].state", equalTo("pending")).body("items[0].priority", equalTo("high"))
                .body("items[0].addressee", equalTo("owner"));

        as(nina).body("{\"answer\":\"staging\"}").post(QUEUE + "/" + id + "/answer").then().statusCode(400)
                .contentType("application/problem+json");
        as(nina).body("{\"answer\":\"dev\"}").post(QUEUE + "/" + id + "/answer").then().statusCode(200)
                .body("state", equalTo("answered")).body("answer", equalTo("dev")).body("answeredBy", equalTo("nina-q"))
                .body("relayState", equalTo("relayed"));
        as(nina).body("{\"answer\":\"main\"}").post(QUEUE + "/" + id + "/answer").then().statusCode(409)
                .contentType("application/problem+json");
        as(nina).post(QUEUE + "/" + id + "/dismiss").then().statusCode(409);

        queue.relayOwed().await().atMost(Duration.ofSeconds(10));
        assertThat(relay.received(id)).isEqualTo(1);
        assertThat(relay.answer(id)).isEqualTo("dev");

        // The same item read again from the agent is the same item, not a second one.
        Raised again = raise(agent, question("ask-1"));
        assertThat(again.duplicate()).isTrue();
        assertThat(again.item().id()).isEqualTo(id);
        assertThat(again.item().state()).isEqualTo("answered");
    }

    @Test
    void aFailedRelayIsRetriedUntilTheAgentHasItThenNeverAgain() {
        String nina = person("nina-retry");
        String agent = agentOf(nina);
        UUID id = raise(agent, question("flaky", "text", "Deploy? " + RecordingRelay.FAIL_TWICE)).item().id();
        as(nina).body("{\"answer\":\"yes\"}").post(QUEUE + "/" + id + "/answer").then().statusCode(200)
                .body("relayState", equalTo("pending"));
        assertThat(relay.received(id)).isZero();
        queue.relayOwed().await().atMost(Duration.ofSeconds(10));
        queue.relayOwed().await().atMost(Duration.ofSeconds(10));
        queue.relayOwed().await().atMost(Duration.ofSeconds(10));
        assertThat(relay.received(id)).isEqualTo(1);
        as(nina).get(QUEUE + "/" + id).then().statusCode(200).body("relayState", equalTo("relayed"));
    }

    @Test
    void accessFollowsTheAgent() {
        String owner = person("olga-q");
        String agent = agentOf(owner);
        as(owner).body("{\"email\":\"sam-q@example.org\"}").post(PATH + "/" + agent + "/shares").then().statusCode(201);
        UUID id = raise(agent, question("a1")).item().id();
        UUID forSam = raise(agent, question("a2", "addressee", "person:sam-q@example.org")).item().id();

        String shared = person("sam-q");
        String stranger = person("eve-q");
        as(shared).get(QUEUE + "/" + id).then().statusCode(200);
        as(shared).queryParam("agent", agent).get(QUEUE).then().statusCode(200).body("total", equalTo(2));
        as(shared).body("{\"answer\":\"x\"}").post(QUEUE + "/" + id + "/answer").then().statusCode(403)
                .contentType("application/problem+json");
        as(shared).post(QUEUE + "/" + id + "/dismiss").then().statusCode(403);
        as(shared).body("{\"answer\":\"x\"}").post(QUEUE + "/" + forSam + "/answer").then().statusCode(200);

        as(stranger).get(QUEUE + "/" + id).then().statusCode(404).contentType("application/problem+json");
        as(stranger).body("{\"answer\":\"x\"}").post(QUEUE + "/" + id + "/answer").then().statusCode(404);
        as(stranger).queryParam("agent", agent).get(QUEUE).then().statusCode(200).body("total", equalTo(0));
        as(stranger).get(QUEUE).then().statusCode(200).body("items.id", not(hasItem(id.toString())));

        as(admin()).post(QUEUE + "/" + id + "/dismiss").then().statusCode(200).body("state", equalTo("dismissed"))
                .body("answeredBy", equalTo("root"));
        assertThat(relay.received(id)).isZero();

        as(token("anon", null)).get(QUEUE).then().statusCode(403);
        io.restassured.RestAssured.given().get(QUEUE).then().statusCode(401);
    }

    @Test
    void capsRefuseAndRecordTheExcess() {
        String nina = person("nina-caps");
        String agent = agentOf(nina);
        for (int i = 0; i < 5; i++) {
            assertThat(raise(agent, question("c" + i)).accepted()).isTrue();
        }
        Raised sixth = raise(agent, question("c5"));
        assertThat(sixth.accepted()).isFalse();
        assertThat(sixth.rejection()).contains("5 pending items");

        // Closing items frees the pending cap, but not the hourly rate: 8 an hour.
        as(nina).queryParam("agent", agent).queryParam("state", "pending").get(QUEUE).then().body("total", equalTo(5))
                .extract().jsonPath().getList("items.id", String.class)
                .forEach(id -> as(nina).post(QUEUE + "/" + id + "/dismiss").then().statusCode(200));
        for (int i = 6; i < 9; i++) {
            assertThat(raise(agent, question("c" + i)).accepted()).isTrue();
        }
        Raised ninth = raise(agent, question("c9"));
        assertThat(ninth.accepted()).isFalse();
        assertThat(ninth.rejection()).contains("last hour");
        assertThat(queue.rejections(agent).await().atMost(Duration.ofSeconds(5))).isEqualTo(2);
    }

    @Test
    void malformedItemsAreRejectedAndRecordedNeverThrown() {
        String agent = agentOf(person("nina-bad"));
        List<Object> hostile = List.of("not an object", List.of(1, 2), Map.of("kind", "question", "text", "no id"),
                question("k1", "kind", "bribe"), question("k2", "text", "x".repeat(4001)),
                question("k3", "options", "yes"), question("k4", "options", List.of("a", "a")),
                question("k5", "addressee", "everyone"), question("k6", "expiresInSeconds", -1),
                question("bad id with spaces"), question("k7", "text", 42));
        for (Object item : hostile) {
            Raised raised = queue.raise(agent, RecordingRelay.SOURCE, item).await().atMost(Duration.ofSeconds(5));
            assertThat(raised.accepted()).as("%s", item).isFalse();
            assertThat(raised.rejection()).isNotBlank();
        }
        assertThat(queue.rejections(agent).await().atMost(Duration.ofSeconds(5))).isEqualTo(hostile.size());
        as(admin()).queryParam("agent", agent).get(QUEUE).then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void pendingItemsExpireAndCanNoLongerBeAnswered() {
        String nina = person("nina-exp");
        String agent = agentOf(nina);
        UUID id = raise(agent, question("e1", "expiresInSeconds", 1)).item().id();
        UUID lasting = raise(agent, question("e2")).item().id();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                as(nina).get(QUEUE + "/" + id).then().statusCode(200).body("state", equalTo("expired")));
        as(nina).body("{\"answer\":\"late\"}").post(QUEUE + "/" + id + "/answer").then().statusCode(409);
        as(nina).get(QUEUE + "/" + lasting).then().body("state", equalTo("pending"));
        assertThat(relay.received(id)).isZero();
    }

    @Test
    void alertsAreDismissedNotAnswered() {
        String nina = person("nina-alert");
        String agent = agentOf(nina);
        UUID id = raise(agent, Map.of("id", "al", "kind", "alert", "text", "Disk almost full")).item().id();
        as(nina).body("{\"answer\":\"ok\"}").post(QUEUE + "/" + id + "/answer").then().statusCode(400);
        as(nina).queryParam("kind", "alert").queryParam("agent", agent).get(QUEUE).then().body("total", equalTo(1));
        as(nina).post(QUEUE + "/" + id + "/dismiss").then().statusCode(200).body("state", equalTo("dismissed"));
    }
}
