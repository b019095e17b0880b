package dev.afk.controlplane.tracker.github;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.fakes.github.FakeGitHubResource;
import dev.afk.controlplane.fakes.github.GitHubContracts;
import dev.afk.controlplane.fakes.github.WebhookPayloads;
import dev.afk.controlplane.fakes.github.WebhookPayloads.Delivery;
import dev.afk.controlplane.support.RawHttp;
import dev.afk.controlplane.tracker.IssueChanged;
import dev.afk.controlplane.tracker.RepoSignals;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class GitHubWebhookReceiverTests {

    private static final String PATH = "/webhooks/github";

    @Inject
    MeterRegistry metrics;

    @Inject
    RepoSignals signals;

    @Inject
    WebhookDeliveries deliveries;

    @Inject
    Pool pool;

    @BeforeEach
    void drainEarlierSignals() {
        signals.drain().await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void everyHandledEventSignalsItsRepository() {
        List<Delivery> deliveries = List.of(
                WebhookPayloads.issues("labeled", "acme/hook-labeled", 3, "ready-for-agent"),
                WebhookPayloads.issues("unlabeled", "acme/hook-unlabeled", 3, "ready-for-agent"),
                WebhookPayloads.issues("closed", "acme/hook-closed", 3, null),
                WebhookPayloads.issues("reopened", "acme/hook-reopened", 3, null),
                WebhookPayloads.push("acme/hook-push", "6dcb09b5b57875f334f61aebed695e2e4193db5e"),
                WebhookPayloads.checkRunCompleted("acme/hook-check-run"),
                WebhookPayloads.checkSuiteCompleted("acme/hook-check-suite"),
                WebhookPayloads.workflowRunCompleted("acme/hook-workflow-run"),
                WebhookPayloads.status("acme/hook-status", "6dcb09b5b57875f334f61aebed695e2e4193db5e", "success"));

        for (Delivery delivery : deliveries) {
            send(delivery, UUID.randomUUID().toString()).statusCode(202).body("outcome", equalTo("queued"));
        }

        assertThat(drained()).containsExactlyInAnyOrder(
                "acme/hook-labeled", "acme/hook-unlabeled", "acme/hook-closed", "acme/hook-reopened", "acme/hook-push",
                "acme/hook-check-run", "acme/hook-check-suite", "acme/hook-workflow-run", "acme/hook-status");
    }

    @Inject
    IssueChangedRecorder issueChanges;

    @Test
    void openedAndEditedIssuesSignalTheirRepositoryAndNudgeTriageOnce() {
        issueChanges.clear();
        for (String action : List.of("opened", "edited")) {
            Delivery delivery = WebhookPayloads.issues("reopened", "acme/hook-" + action, 9, null);
            byte[] body = delivery.body().replace("\"action\":\"reopened\"", "\"action\":\"" + action + "\"")
                    .getBytes(StandardCharsets.UTF_8);
            String id = UUID.randomUUID().toString();
            post(body, sign(body), "issues", id).statusCode(202).body("outcome", equalTo("queued"));
            post(body, sign(body), "issues", id).statusCode(200).body("outcome", equalTo("duplicate"));
        }

        assertThat(drained()).containsExactlyInAnyOrder("acme/hook-opened", "acme/hook-edited");
        assertThat(issueChanges.seen()).containsExactlyInAnyOrder(
                new IssueChanged(RepoSlug.parse("acme/hook-opened"), 9, "issues.opened"),
                new IssueChanged(RepoSlug.parse("acme/hook-edited"), 9, "issues.edited"));
    }

    /** Records the triage nudges the receiver fires. */
    @jakarta.inject.Singleton
    static class IssueChangedRecorder {
        private final List<IssueChanged> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        void on(@jakarta.enterprise.event.Observes IssueChanged changed) {
            seen.add(changed);
        }

        List<IssueChanged> seen() {
            return List.copyOf(seen);
        }

        void clear() {
            seen.clear();
        }
    }

    @Test
    void aRedeliveryIsRecognisedAndSignalsNothing() {
        Delivery delivery = WebhookPayloads.issues("labeled", "acme/hook-dedupe", 5, "ready-for-agent");
        String id = UUID.randomUUID().toString();

        send(delivery, id).statusCode(202).body("outcome", equalTo("queued"));
        assertThat(drained()).containsExactly("acme/hook-dedupe");

        send(delivery, id).statusCode(200).body("outcome", equalTo("duplicate"));
        assertThat(drained()).isEmpty();
    }

    @Test
    void deliveryIdsAreForgottenAfterTheRetention() {
        String old = UUID.randomUUID().toString();
        String recent = UUID.randomUUID().toString();
        pool.preparedQuery("insert into webhook_delivery (delivery_id, event, repo, received_at) values ($1, 'push', 'acme/x', $2)")
                .executeBatch(List.of(Tuple.of(old, OffsetDateTime.now().minusDays(8)), Tuple.of(recent, OffsetDateTime.now().minusDays(1))))
                .await().atMost(Duration.ofSeconds(5));

        deliveries.expire().await().atMost(Duration.ofSeconds(5));

        List<String> kept = pool.preparedQuery("select delivery_id from webhook_delivery where delivery_id = any($1)")
                .execute(Tuple.of(new String[] {old, recent})).await().atMost(Duration.ofSeconds(5))
                .stream().map(row -> row.getString(0)).toList();
        assertThat(kept).containsExactly(recent);
    }

    @Test
    void unsignedOrWronglySignedDeliveriesAre401AndChangeNothing() {
        Delivery delivery = WebhookPayloads.issues("labeled", "acme/hook-unsigned", 5, "ready-for-agent");
        byte[] body = delivery.body().getBytes(StandardCharsets.UTF_8);

        post(body, null, "issues", UUID.randomUUID().toString())
                .statusCode(401).contentType("application/problem+json").body("type", equalTo("urn:afk:problem:webhook-signature"));
        post(body, WebhookPayloads.signature("not-the-secret", body), "issues", UUID.randomUUID().toString()).statusCode(401);
        post(body, "sha256=00", "issues", UUID.randomUUID().toString()).statusCode(401);
        byte[] tampered = delivery.body().replace("acme/hook-unsigned", "acme/hook-tampered").getBytes(StandardCharsets.UTF_8);
        post(tampered, WebhookPayloads.signature(FakeGitHubResource.WEBHOOK_SECRET, body), "issues", UUID.randomUUID().toString())
                .statusCode(401);

        assertThat(drained()).isEmpty();
    }

    @Test
    void unknownEventsAndIrrelevantActionsAreIgnored() {
        byte[] body = "{\"zen\":\"Keep it logically awesome.\"}".getBytes(StandardCharsets.UTF_8);
        post(body, sign(body), "star", UUID.randomUUID().toString()).statusCode(202).body("outcome", equalTo("ignored"));
        post(body, sign(body), "ping", UUID.randomUUID().toString()).statusCode(200).body("outcome", equalTo("pong"));
        Delivery assigned = WebhookPayloads.issues("labeled", "acme/hook-assigned", 5, null);
        byte[] assignedBody = assigned.body().replace("\"action\":\"labeled\"", "\"action\":\"assigned\"").getBytes(StandardCharsets.UTF_8);
        post(assignedBody, sign(assignedBody), "issues", UUID.randomUUID().toString()).statusCode(202).body("outcome", equalTo("ignored"));

        assertThat(drained()).isEmpty();
    }

    @Test
    void anEditedIssueIsPolledSoItsReleaseIsCheckedAgain() {
        Delivery edited = WebhookPayloads.issues("labeled", "acme/hook-edited", 5, null);
        byte[] editedBody = edited.body().replace("\"action\":\"labeled\"", "\"action\":\"edited\"").getBytes(StandardCharsets.UTF_8);
        post(editedBody, sign(editedBody), "issues", UUID.randomUUID().toString()).statusCode(202).body("outcome", equalTo("queued"));

        assertThat(drained()).containsExactly("acme/hook-edited");
    }

    @Test
    void signedButUnreadableDeliveriesAre400() {
        byte[] body = "not json".getBytes(StandardCharsets.UTF_8);
        post(body, sign(body), "issues", UUID.randomUUID().toString()).statusCode(400).contentType("application/problem+json");
        byte[] valid = "{}".getBytes(StandardCharsets.UTF_8);
        post(valid, sign(valid), "issues", null).statusCode(400);
    }

    @Test
    void deliveriesOverTheWebhookLimitAre413() {
        // 2 MB in tests; the service-wide limit (1 MB) does not apply to webhooks.
        byte[] tooLarge = padded(3 * 1024 * 1024);
        post(tooLarge, sign(tooLarge), "push", UUID.randomUUID().toString())
                .statusCode(413).contentType("application/problem+json").body("status", equalTo(413));

        byte[] largeButAllowed = padded(1536 * 1024);
        post(largeButAllowed, sign(largeButAllowed), "push", UUID.randomUUID().toString())
                .statusCode(202).body("outcome", equalTo("queued"));
        assertThat(drained()).containsExactly("acme/hook-large");
    }

    @Test
    void aDeliveryWithoutSignatureOrEventIs401BeforeItsBodyIsRead() throws Exception {
        String signed = "sha256=" + "ab".repeat(32);
        List<Map<String, String>> unsigned = List.of(
                Map.of("X-GitHub-Event", "push"),
                Map.of("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=00"),
                Map.of("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha1=" + "ab".repeat(20)),
                Map.of("X-Hub-Signature-256", signed));
        for (Map<String, String> headers : unsigned) {
            try (RawHttp http = new RawHttp(RestAssured.port)) {
                // Headers only: the body never comes, the answer must not wait for it.
                RawHttp.Response response = http.head("POST", PATH, withLength(headers, 1_900_000)).response(Duration.ofSeconds(1));
                assertThat(response).as(headers.toString()).isNotNull();
                assertThat(response.status()).isEqualTo(401);
                assertThat(response.header("content-type")).isEqualTo("application/problem+json");
            }
        }
    }

    @Test
    void deliveriesOverTheBytesInFlightBudgetAre429WithRetryAfter() throws Exception {
        // 8 MB in flight in tests: four held deliveries of 1.9 MB leave no room for one of 1 MB.
        List<RawHttp> held = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                held.add(new RawHttp(RestAssured.port).head("POST", PATH, withLength(Map.of("X-GitHub-Event", "push",
                        "X-Hub-Signature-256", "sha256=" + "ab".repeat(32)), 1_900_000)).send(new byte[64 * 1024]));
            }
            // The held deliveries reserve their bytes when the service reads their heads, not when the
            // client has sent them.
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> metrics.get("afk.github.webhooks.bytes.in.flight")
                    .gauge().value() >= 4 * 1_900_000);
            byte[] oneMegabyte = padded(1024 * 1024);
            // Only the head and a first chunk are sent: the refusal comes before the body is read, and
            // a client still writing the rest would see its connection closed under it.
            try (RawHttp over = new RawHttp(RestAssured.port)) {
                RawHttp.Response response = over.head("POST", PATH, withLength(Map.of("X-GitHub-Event", "push",
                                "X-Hub-Signature-256", sign(oneMegabyte), "X-GitHub-Delivery", UUID.randomUUID().toString()),
                                oneMegabyte.length))
                        .send(java.util.Arrays.copyOf(oneMegabyte, 16 * 1024)).response(Duration.ofSeconds(15));
                assertThat(response).isNotNull();
                assertThat(response.status()).isEqualTo(429);
                assertThat(response.header("content-type")).startsWith("application/problem+json");
                assertThat(response.header("retry-after")).isNotNull();
                assertThat(response.body()).contains("urn:afk:problem:webhook-busy");
            }
            assertThat(drained()).isEmpty();
        } finally {
            for (RawHttp http : held) {
                http.close();
            }
        }
        // Closed connections give their share back.
        Delivery delivery = WebhookPayloads.push("acme/hook-after-busy", "6dcb09b5b57875f334f61aebed695e2e4193db5e");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                send(delivery, UUID.randomUUID().toString()).statusCode(202));
    }

    @Test
    void aDeliveryThatStopsArrivingIs408AndItsConnectionClosed() throws Exception {
        try (RawHttp http = new RawHttp(RestAssured.port)) {
            http.head("POST", PATH, withLength(Map.of("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + "ab".repeat(32)),
                    10_000)).send(new byte[100]);
            // The read timeout is 5 s in tests.
            RawHttp.Response response = http.response(Duration.ofSeconds(15));
            assertThat(response).isNotNull();
            assertThat(response.status()).isEqualTo(408);
            assertThat(response.header("content-type")).isEqualTo("application/problem+json");
        }
    }

    @Test
    void aChunkedDeliveryIsCutOffAtTheLimit() throws Exception {
        try (RawHttp http = new RawHttp(RestAssured.port)) {
            http.head("POST", PATH, Map.of("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + "ab".repeat(32),
                    "Transfer-Encoding", "chunked", "Content-Type", "application/json"));
            byte[] chunk = new byte[256 * 1024];
            String size = Integer.toHexString(chunk.length) + "\r\n";
            try {
                for (int i = 0; i < 12; i++) {
                    http.send(size.getBytes(StandardCharsets.US_ASCII)).send(chunk).send("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            } catch (java.io.IOException closedByServer) {
                // expected once the limit is passed
            }
            RawHttp.Response response = http.response(Duration.ofSeconds(3));
            assertThat(response).isNotNull();
            assertThat(response.status()).isEqualTo(413);
        }
    }

    private static Map<String, String> withLength(Map<String, String> headers, int length) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("Content-Length", Integer.toString(length));
        all.put("Content-Type", "application/json");
        return all;
    }

    @Test
    void theBodiesSentHereFollowTheWebhookContract() {
        GitHubContracts contracts = GitHubContracts.webhooks();
        List<Delivery> deliveries = List.of(
                WebhookPayloads.issues("labeled", "acme/c", 1, "ready-for-agent"),
                WebhookPayloads.issues("unlabeled", "acme/c", 1, "ready-for-agent"),
                WebhookPayloads.issues("closed", "acme/c", 1, null),
                WebhookPayloads.push("acme/c", "6dcb09b5b57875f334f61aebed695e2e4193db5e"),
                WebhookPayloads.checkRunCompleted("acme/c"),
                WebhookPayloads.checkSuiteCompleted("acme/c"),
                WebhookPayloads.workflowRunCompleted("acme/c"));
        for (Delivery delivery : deliveries) {
            assertThat(contracts.webhookViolations(delivery.contractEntry().orElseThrow(), delivery.body()))
                    .as(delivery.contractEntry().get()).isEmpty();
        }
        assertThat(deliveries).extracting(d -> d.contractEntry().orElseThrow())
                .containsExactlyInAnyOrderElementsOf(contracts.webhookNames());
    }

    /** A push whose commit messages make it large: still a valid push body. */
    private static byte[] padded(int size) {
        String body = WebhookPayloads.push("acme/hook-large", "6dcb09b5b57875f334f61aebed695e2e4193db5e").body();
        String padding = "x".repeat(Math.max(0, size - body.length() - 20));
        return body.replaceFirst("\\{", "{\"padding\":\"" + padding + "\",").getBytes(StandardCharsets.UTF_8);
    }

    private List<String> drained() {
        return signals.drain().await().atMost(Duration.ofSeconds(5)).stream().map(RepoSlug::toString).toList();
    }

    private static ValidatableResponse send(Delivery delivery, String id) {
        byte[] body = delivery.body().getBytes(StandardCharsets.UTF_8);
        return post(body, sign(body), delivery.event(), id);
    }

    private static String sign(byte[] body) {
        return WebhookPayloads.signature(FakeGitHubResource.WEBHOOK_SECRET, body);
    }

    private static ValidatableResponse post(byte[] body, String signature, String event, String delivery) {
        var request = given().contentType("application/json").body(body).header("X-GitHub-Event", event);
        if (signature != null) {
            request.header("X-Hub-Signature-256", signature);
        }
        if (delivery != null) {
            request.header("X-GitHub-Delivery", delivery);
        }
        return request.post(PATH).then();
    }
}
