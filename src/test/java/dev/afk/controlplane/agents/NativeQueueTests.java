package dev.afk.controlplane.agents;

import static dev.afk.controlplane.agents.AgentApi.PATH;
import static dev.afk.controlplane.agents.AgentApi.as;
import static dev.afk.controlplane.agents.AgentApi.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.afk.controlplane.agents.queue.OperatorQueue;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A native node type asks through the SPI; the answer reaches its callback once and its task goes on. */
@QuarkusTest
class NativeQueueTests {

    private static final String QUEUE = "/api/queue";

    @Inject
    AskingNodeType nodeType;

    @Inject
    OperatorQueue queue;

    @Test
    void aNativeTaskAsksWaitsAndContinuesWithTheAnswer() {
        String nina = person("nina-native-q");
        String name = EngineFixture.agentName("ask");
        as(nina).body("{\"name\":\"" + name + "\",\"nodeType\":\"" + AskingNodeType.NAME + "\",\"config\":{}}").post(PATH)
                .then().statusCode(201);
        as(nina).post(PATH + "/" + name + "/start").then().statusCode(200);
        String task = as(nina).body("{\"message\":\"Left or right?\"}").post(PATH + "/" + name + "/tasks").then()
                .statusCode(202).extract().path("id");

        String id = await().atMost(Duration.ofSeconds(20)).until(() -> as(nina).queryParam("agent", name).get(QUEUE)
                .then().statusCode(200).extract().jsonPath().getString("items[0].id"), i -> i != null);
        as(nina).get(QUEUE + "/" + id).then().body("source", equalTo("native")).body("sourceRef", equalTo("task-" + task))
                .body("text", equalTo("Left or right?")).body("state", equalTo("pending"));
        as(nina).get(PATH + "/" + name + "/tasks/" + task).then().body("status", equalTo("running"));

        as(nina).body("{\"answer\":\"right\"}").post(QUEUE + "/" + id + "/answer").then().statusCode(200)
                .body("relayState", equalTo("relayed"));
        as(nina).body("{\"answer\":\"left\"}").post(QUEUE + "/" + id + "/answer").then().statusCode(409);
        queue.relayOwed().await().atMost(Duration.ofSeconds(10));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(nina).get(PATH + "/" + name + "/tasks/" + task)
                .then().body("status", equalTo("success")).body("result", equalTo("went right")));
        assertThat(nodeType.answersTo(UUID.fromString(id))).isEqualTo(1);
    }

    @Test
    void anAnswerWakesAStoppedNativeAgentOnlyWhenItsOwnerAskedForIt() {
        String nina = person("nina-wake");
        String sleeper = EngineFixture.agentName("sleep");
        String riser = EngineFixture.agentName("rise");
        for (String name : java.util.List.of(sleeper, riser)) {
            as(nina).body("{\"name\":\"" + name + "\",\"nodeType\":\"" + AskingNodeType.NAME + "\",\"config\":{}}")
                    .post(PATH).then().statusCode(201).body("wakeOnAnswer", equalTo(false));
        }
        as(nina).body("{\"wakeOnAnswer\":true}").put(PATH + "/" + riser + "/settings").then().statusCode(200)
                .body("wakeOnAnswer", equalTo(true));
        as(person("eve-wake")).body("{\"wakeOnAnswer\":true}").put(PATH + "/" + sleeper + "/settings").then()
                .statusCode(404).contentType("application/problem+json");
        as(nina).body("{}").put(PATH + "/" + sleeper + "/settings").then().statusCode(400);
        as(nina).body("{\"wakeOnAnswer\":\"maybe\"}").put(PATH + "/" + sleeper + "/settings").then().statusCode(400);
        as(nina).get(PATH + "/" + sleeper).then().body("wakeOnAnswer", equalTo(false)).body("status", equalTo("stopped"));

        for (String name : java.util.List.of(sleeper, riser)) {
            UUID id = queue.raise(name, NativeAnswers.SOURCE, java.util.Map.of("id", "q", "kind", "question", "text", "Up?"))
                    .await().atMost(Duration.ofSeconds(10)).item().id();
            as(nina).body("{\"answer\":\"now\"}").post(QUEUE + "/" + id + "/answer").then().statusCode(200)
                    .body("relayState", equalTo("relayed"));
            assertThat(nodeType.answersTo(id)).isEqualTo(1);
        }
        as(nina).get(PATH + "/" + sleeper + "/status").then().body("status", equalTo("stopped"));
        as(nina).get(PATH + "/" + riser + "/status").then().body("status", equalTo("running"))
                .body("desiredState", equalTo("running"));
    }

    @Test
    void aMalformedItemFromANodeTypeIsRefusedRecordedAndItsTaskFailsInsteadOfWaiting() {
        String nina = person("nina-native-bad");
        String name = EngineFixture.agentName("askbad");
        as(nina).body("{\"name\":\"" + name + "\",\"nodeType\":\"" + AskingNodeType.NAME + "\",\"config\":{}}").post(PATH)
                .then().statusCode(201);
        as(nina).post(PATH + "/" + name + "/start").then().statusCode(200);
        String task = as(nina).body("{\"message\":\"" + "x".repeat(4001) + "\"}").post(PATH + "/" + name + "/tasks").then()
                .statusCode(202).extract().path("id");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(nina).get(PATH + "/" + name + "/tasks/" + task)
                .then().body("status", equalTo("failed")).body("errorCode", equalTo("refused")));
        assertThat(queue.rejections(name).await().atMost(Duration.ofSeconds(5))).isEqualTo(1);
        as(nina).queryParam("agent", name).get(QUEUE).then().body("total", equalTo(0));
    }
}
