package dev.afk.controlplane.agents;

import static dev.afk.controlplane.agents.AgentApi.PATH;
import static dev.afk.controlplane.agents.AgentApi.admin;
import static dev.afk.controlplane.agents.AgentApi.as;
import static dev.afk.controlplane.agents.AgentApi.createRouter;
import static dev.afk.controlplane.agents.AgentApi.person;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import dev.afk.controlplane.agents.queue.OperatorQueue;
import dev.afk.controlplane.agents.queue.OperatorQueue.Raised;
import dev.afk.controlplane.fakes.CiDoorbellFakes;
import dev.afk.controlplane.fakes.ntfy.FakeNtfy;
import dev.afk.controlplane.fakes.slack.FakeSlack;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.notify.Doorbell;
import dev.afk.controlplane.notify.Doorbell.Kind;
import dev.afk.controlplane.notify.Doorbell.Ring;
import dev.afk.controlplane.notify.Doorbell.Route;
import dev.afk.controlplane.notify.DoorbellOutbox;
import dev.afk.controlplane.support.HeadlessChromium;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URL;
import org.eclipse.microprofile.config.ConfigProvider;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * An agent's own channels: bound through the registry API, rung once per binding for each item it
 * raises (through the doorbell's outbox, to the fake Slack and ntfy), and its pending items on the
 * status page.
 */
@QuarkusTest
class AgentChannelsTests {

    private static final Duration DELIVERY = Duration.ofSeconds(30);

    @Inject
    OperatorQueue queue;

    @Inject
    Pool pool;

    @Inject
    DoorbellOutbox outbox;

    @TestHTTPResource("/")
    URL root;

    private final FakeSlack slack = CiDoorbellFakes.slack();
    private final FakeNtfy ntfy = CiDoorbellFakes.ntfy();

    private static String agentOf(String owner) {
        String name = EngineFixture.agentName("ch");
        createRouter(owner, name, "pool").statusCode(201);
        return name;
    }

    private static String channels(String agent) {
        return PATH + "/" + agent + "/channels";
    }

    private static String topic() {
        return "agent-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private Raised raise(String agent, String ref, String text) {
        return queue.raise(agent, RecordingRelay.SOURCE, Map.of("id", ref, "kind", "question", "text", text,
                "priority", "high")).await().atMost(Duration.ofSeconds(10));
    }

    /** State and attempts of each delivery of the item's ring, by channel, oldest first. */
    private List<String> deliveries(UUID item) {
        return pool.preparedQuery("select channel, state, attempts, agent_channel_id from doorbell_delivery "
                        + "where dedup_key = $1 order by id")
                .execute(Tuple.of("queue:" + item))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(AgentChannelsTests::delivery).toList())
                .await().atMost(Duration.ofSeconds(10));
    }

    private static String delivery(Row row) {
        return row.getString("channel") + (row.getLong("agent_channel_id") == null ? " install " : " binding ")
                + row.getString("state") + " " + row.getInteger("attempts");
    }

    private long installMessagesAbout(String agent) {
        return slack.delivered().stream().filter(m -> m.toString().contains(agent)).count()
                + ntfy.publishedTo("afk-install").stream().filter(m -> m.toString().contains(agent)).count();
    }

    @Test
    void aRaisedItemGoesOnceToEachOfTheAgentsBindingsAndNotToTheInstallsDoorbell() {
        String owner = person("rita-ch");
        String agent = agentOf(owner);
        String webhook = slack.newWebhook();
        String topic = topic();
        as(owner).body(Map.of("webhookUrl", webhook)).put(channels(agent) + "/slack").then().statusCode(200)
                .body("channel", equalTo("slack")).body("target", not(containsString(webhook.substring(webhook.indexOf("/services")))));
        as(owner).body(Map.of("topic", topic)).put(channels(agent) + "/ntfy").then().statusCode(200)
                .body("target", equalTo(topic)).body("server", equalTo(null));

        Raised raised = raise(agent, "deploy-1", "Deploy <b>now</b>? ```@channel``` <!here>");
        assertThat(raised.accepted()).isTrue();
        UUID id = raised.item().id();
        // The same item offered again (a source re-reading it) rings nothing more.
        assertThat(raise(agent, "deploy-1", "Deploy <b>now</b>? ```@channel``` <!here>").duplicate()).isTrue();

        await().atMost(DELIVERY).untilAsserted(() -> assertThat(deliveries(id))
                .containsExactlyInAnyOrder("slack binding DELIVERED 1", "ntfy binding DELIVERED 1"));
        List<JsonNode> toSlack = slack.deliveredTo(webhook);
        List<JsonNode> toNtfy = ntfy.publishedTo(topic);
        assertThat(toSlack).hasSize(1);
        assertThat(toNtfy).hasSize(1);
        assertThat(installMessagesAbout(agent)).as("the install's doorbell is not rung for an agent's item").isZero();

        String slackMessage = toSlack.getFirst().toString();
        assertThat(slackMessage).contains("Question from agent " + agent, id.toString(),
                "https://afk.example.org/q/swagger-ui/#/Operator%20queue/post_api_queue__id__answer");
        JsonNode text = toSlack.getFirst().get("blocks").get(2).get("text");
        assertThat(text.get("type").asText()).isEqualTo("mrkdwn");
        // The agent's words: in one code block, Slack's control characters escaped, its fence broken.
        assertThat(text.get("text").asText()).startsWith("```Deploy &lt;b&gt;now&lt;/b&gt;?").endsWith("&lt;!here&gt;```")
                .doesNotContain("<!here>").doesNotContain("```@channel```");
        JsonNode push = toNtfy.getFirst();
        assertThat(push.get("title").asText()).contains("Question from agent " + agent, id.toString());
        assertThat(push.get("message").asText()).isEqualTo("Deploy <b>now</b>? ```@channel``` <!here>");
        assertThat(push.get("click").asText()).startsWith("https://afk.example.org/q/swagger-ui/");
    }

    @Test
    void aFailedDeliveryIsRetriedWithBackOffAndArrivesOnce() {
        String owner = person("sven-ch");
        String agent = agentOf(owner);
        String webhook = slack.newWebhook();
        String topic = topic();
        as(owner).body(Map.of("webhookUrl", webhook)).put(channels(agent) + "/slack").then().statusCode(200);
        as(owner).body(Map.of("topic", topic)).put(channels(agent) + "/ntfy").then().statusCode(200);
        slack.failNextOn(webhook, 500, "rollup_error");
        ntfy.failNextOn(topic, 503, 50301, "service unavailable");
        String secret = webhook.substring(webhook.lastIndexOf('/') + 1);
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getMessage() + " " + Arrays.toString(record.getParameters()) + " " + record.getThrown());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        capture.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(capture);
        try {
            UUID id = raise(agent, "retry-1", "Roll back?").item().id();

            await().atMost(DELIVERY).untilAsserted(() -> assertThat(deliveries(id))
                    .containsExactlyInAnyOrder("slack binding DELIVERED 2", "ntfy binding DELIVERED 2"));
            assertThat(slack.deliveredTo(webhook)).hasSize(1);
            assertThat(ntfy.publishedTo(topic)).hasSize(1);
            as(owner).body(Map.of("webhookUrl", webhook)).put(channels(agent) + "/slack").then().statusCode(200);
        } finally {
            Logger.getLogger("").removeHandler(capture);
        }
        assertThat(logged).as("what was logged meanwhile").isNotEmpty().noneMatch(line -> line.contains(secret));
    }

    @Test
    void anAgentWithoutBindingsRingsNothingAndAnUnboundChannelStopsRinging() {
        String owner = person("ugo-ch");
        String agent = agentOf(owner);
        UUID quiet = raise(agent, "quiet-1", "Anyone?").item().id();

        String webhook = slack.newWebhook();
        as(owner).body(Map.of("webhookUrl", webhook)).put(channels(agent) + "/slack").then().statusCode(200);
        as(owner).get(channels(agent)).then().statusCode(200).body("", hasSize(1));
        as(owner).delete(channels(agent) + "/slack").then().statusCode(204);
        as(owner).delete(channels(agent) + "/slack").then().statusCode(404).contentType("application/problem+json");
        as(owner).get(channels(agent)).then().statusCode(200).body("", hasSize(0));
        UUID after = raise(agent, "quiet-2", "Anyone now?").item().id();

        // Both are rung (the ring is on record), to no channel at all.
        await().atMost(DELIVERY).until(() -> ringed(quiet) && ringed(after));
        assertThat(deliveries(quiet)).isEmpty();
        assertThat(deliveries(after)).isEmpty();
        assertThat(slack.deliveredTo(webhook)).isEmpty();
    }

    private boolean ringed(UUID item) {
        return pool.preparedQuery("select 1 from doorbell_ring where dedup_key = $1").execute(Tuple.of("queue:" + item))
                .await().atMost(Duration.ofSeconds(10)).rowCount() == 1;
    }

    @Test
    void aHostileBindingIsRefusedAndChangesNothing() {
        String owner = person("vera-ch");
        String agent = agentOf(owner);
        String fake = slack.url() + "/services/";
        List<String> hostile = List.of(
                "http://169.254.169.254/latest/meta-data/",
                "file:///etc/passwd",
                "javascript:alert(1)",
                "https://hooks.slack.com.evil.example/services/T0/B0/x",
                "https://hooks.slack.com/services/../../api/chat.postMessage",
                "https://hooks.slack.com/services/T0/B0/x?redirect=http://evil.example",
                "https://hooks.slack.com/services/T0/B0/x#frag",
                "https://hooks.slack.com/services/T0/B0/%2e%2e",
                "https://hooks.slack.com/services/T0/B0/x\nX-Injected: 1",
                "https://hooks.slack.com/services/",
                fake.replace("http://", "http://user:pw@") + "T0/B0/x",
                fake + "T0/B0/x/../../../admin",
                "https://hooks.slack.com/services/" + "a".repeat(600));
        for (String url : hostile) {
            String detail = as(owner).body(Map.of("webhookUrl", url)).put(channels(agent) + "/slack").then()
                    .statusCode(400).contentType("application/problem+json").extract().path("detail");
            if (!url.endsWith("/services/")) {
                assertThat(detail).as("the refusal does not echo what was sent").doesNotContain(url);
            }
        }
        for (String server : List.of("http://ntfy.example.org", "https://evil.example", "https://ntfy.example.org@evil.example",
                "gopher://ntfy.example.org", "not a url")) {
            as(owner).body(Map.of("topic", "fine-topic", "server", server)).put(channels(agent) + "/ntfy").then()
                    .statusCode(400).contentType("application/problem+json");
        }
        for (String topic : List.of("", "has space", "../etc", "x".repeat(65), "emoji-\u2603")) {
            as(owner).body(Map.of("topic", topic)).put(channels(agent) + "/ntfy").then()
                    .statusCode(400).contentType("application/problem+json");
        }
        as(owner).body("{\"webhookUrl\": 42}").put(channels(agent) + "/slack").then().statusCode(400);
        as(owner).body("not json").put(channels(agent) + "/slack").then().statusCode(400);
        as(owner).delete(channels(agent) + "/teams").then().statusCode(400);
        as(owner).get(channels(agent)).then().statusCode(200).body("", hasSize(0));

        // Slack's own URLs and an allowed ntfy server are fine.
        as(owner).body(Map.of("webhookUrl", "https://hooks.slack.com/services/T0AFK/B0AGENT/abcDEF123")).put(channels(agent) + "/slack")
                .then().statusCode(200).body("target", equalTo("https://hooks.slack.com/…"));
        as(owner).body(Map.of("topic", "fine-topic", "server", "https://ntfy.example.org/")).put(channels(agent) + "/ntfy")
                .then().statusCode(200).body("server", equalTo("https://ntfy.example.org"));
        String listed = as(owner).get(channels(agent)).then().statusCode(200).body("", hasSize(2)).extract().asString();
        assertThat(listed).doesNotContain("abcDEF123");
        as(owner).delete(channels(agent) + "/slack").then().statusCode(204);
        as(owner).delete(channels(agent) + "/ntfy").then().statusCode(204);
    }

    @Test
    void bindingIsManagingTheAgent() {
        String owner = person("wanda-ch");
        String agent = agentOf(owner);
        as(owner).body("{\"email\":\"xavi-ch@example.org\"}").post(PATH + "/" + agent + "/shares").then().statusCode(201);
        String sharedWith = person("xavi-ch");
        String stranger = person("yann-ch");
        String webhook = slack.newWebhook();

        for (String who : List.of(sharedWith, stranger)) {
            as(who).body(Map.of("webhookUrl", webhook)).put(channels(agent) + "/slack").then().statusCode(404)
                    .contentType("application/problem+json");
            as(who).body(Map.of("topic", "not-theirs")).put(channels(agent) + "/ntfy").then().statusCode(404);
            as(who).get(channels(agent)).then().statusCode(404);
            as(who).delete(channels(agent) + "/slack").then().statusCode(404);
        }
        given().contentType("application/json").body(Map.of("webhookUrl", webhook)).put(channels(agent) + "/slack")
                .then().statusCode(401);
        as(owner).get(channels(agent)).then().statusCode(200).body("", hasSize(0));

        as(owner).body(Map.of("webhookUrl", webhook)).put(channels(agent) + "/slack").then().statusCode(200)
                .body("createdBy", equalTo("wanda-ch"));
        as(admin()).body(Map.of("topic", topic())).put(channels(agent) + "/ntfy").then().statusCode(200)
                .body("createdBy", equalTo("root"));
        as(admin()).get(channels(agent)).then().statusCode(200).body("channel", equalTo(List.of("ntfy", "slack")));
        as(sharedWith).delete(channels(agent) + "/ntfy").then().statusCode(404);
        as(admin()).delete(channels(agent) + "/ntfy").then().statusCode(204);
        as(owner).delete(channels(agent) + "/slack").then().statusCode(204);
    }

    @Test
    void theStatusPageShowsPendingItemsToWhoMaySeeTheAgent() throws Exception {
        String owner = person("zoe-ch");
        String agent = agentOf(owner);
        raise(agent, "page-1", "Merge <script>document.title='owned'</script> the <b>release</b>?");
        String other = agentOf(person("abel-ch"));
        raise(other, "page-2", "Not for zoe");

        try (HeadlessChromium browser = new HeadlessChromium()) {
            browser.navigate(root + "status");
            browser.loaded("/status/login");
            browser.eval("document.getElementById('token').value = '" + owner.substring("Bearer ".length())
                    + "'; document.getElementById('log-in').click(); true");
            browser.loaded("/status");
            String table = browser.eval("document.getElementById('operator-queue').innerText");
            assertThat(table).contains("question", agent, "owner", "Merge <script>document.title='owned'</script> the <b>release</b>?")
                    .doesNotContain(other).doesNotContain("Not for zoe");
            assertThat(table).containsPattern(agent + "\\s+\\d+s\\s+owner");
            assertThat(browser.eval("String(document.querySelectorAll('#operator-queue script, #operator-queue b').length)"))
                    .isEqualTo("0");
            assertThat(browser.eval("document.title")).isEqualTo("afk-control-plane status");
        }
    }

    @Test
    void theQueuesMetricsAreExported() {
        String owner = person("bea-ch");
        String agent = agentOf(owner);
        UUID approval = queue.raise(agent, RecordingRelay.SOURCE, Map.of("id", "m-1", "kind", "approval", "text", "Ship it?"))
                .await().atMost(Duration.ofSeconds(10)).item().id();
        queue.expire().await().atMost(Duration.ofSeconds(10));
        double answeredBefore = sample(metrics(), "afk_queue_time_to_answer_seconds_count");
        assertThat(sample(metrics(), "afk_queue_items_pending{kind=\"approval\"}")).isGreaterThanOrEqualTo(1);

        as(owner).body("{\"answer\":\"approve\"}").post("/api/queue/" + approval + "/answer").then().statusCode(200);
        String after = metrics();
        assertThat(sample(after, "afk_queue_time_to_answer_seconds_count")).isEqualTo(answeredBefore + 1);
        assertThat(sample(after, "afk_queue_relays_failed_total")).isGreaterThanOrEqualTo(0);
        assertThat(after).contains("afk_queue_items_pending{kind=\"question\"", "afk_queue_items_pending{kind=\"alert\"");
    }

    private static String metrics() {
        int port = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        return given().get("http://localhost:" + port + "/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of the first sample whose name and leading labels are {@code series}. */
    private static double sample(String metrics, String series) {
        String prefix = series.endsWith("}") ? series.substring(0, series.length() - 1) : series;
        return metrics.lines().filter(l -> l.startsWith(prefix + (series.endsWith("}") ? "" : " "))
                        || l.startsWith(prefix + (series.endsWith("}") ? "" : "{")))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError(series + " is not in /q/metrics"));
    }

    @Test
    void aNoticeNamingTheAgentRingsTheInstallAndEachBinding() {
        String owner = person("cleo-ch");
        String agent = agentOf(owner);
        String webhook = slack.newWebhook();
        String topic = topic();
        as(owner).body(Map.of("webhookUrl", webhook)).put(channels(agent) + "/slack").then().statusCode(200);
        as(owner).body(Map.of("topic", topic)).put(channels(agent) + "/ntfy").then().statusCode(200);
        String run = "run-" + UUID.randomUUID();
        Ring done = new Ring(run + ":done", Kind.DONE, RepoSlug.parse("acme/channels"), 7, run, "Ship the widget",
                "CI is green", null, agent);

        outbox.ring(done, Route.INSTALL).await().atMost(Duration.ofSeconds(10));
        outbox.ring(done, Route.INSTALL).await().atMost(Duration.ofSeconds(10));

        await().atMost(DELIVERY).untilAsserted(() -> assertThat(outbox.deliveries(run).await().atMost(Duration.ofSeconds(10)))
                .hasSize(4).allMatch(d -> d.state() == Doorbell.DeliveryState.DELIVERED));
        assertThat(outbox.deliveries(run).await().atMost(Duration.ofSeconds(10))).extracting(Doorbell.Delivery::channel)
                .containsExactlyInAnyOrder("slack", "ntfy", "slack of agent " + agent, "ntfy of agent " + agent);
        assertThat(slack.deliveredTo(webhook)).singleElement()
                .satisfies(m -> assertThat(m.get("text").asText()).isEqualTo("[Done] acme/channels#7: Ship the widget"));
        assertThat(ntfy.publishedTo(topic)).singleElement()
                .satisfies(m -> assertThat(m.get("title").asText()).isEqualTo("[Done] acme/channels#7: Ship the widget"));
        assertThat(slack.delivered().stream().filter(m -> m.get("text").asText().contains("acme/channels#7"))).hasSize(1);
    }
}
