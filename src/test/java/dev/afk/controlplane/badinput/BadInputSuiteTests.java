package dev.afk.controlplane.badinput;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.afk.controlplane.badinput.MalformedRequests.Request;
import dev.afk.controlplane.badinput.OpenApiOperations.Operation;
import dev.afk.controlplane.fakes.github.FakeGitHubResource;
import dev.afk.controlplane.fakes.github.WebhookPayloads;
import dev.afk.controlplane.support.RawHttp;
import dev.afk.controlplane.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The bad-input suite: every operation of the live OpenAPI document (so a new route is covered
 * without being listed here) gets the authentication matrix, the role matrix and over a thousand
 * malformed requests; the webhook gets its own cases. Every answer is below 500, every error is
 * problem+json, and no rejected request changes a row of any table.
 */
@QuarkusTest
@TestProfile(BadInputProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputSuiteTests {

    private static final List<String> LADDER = List.of("viewer", "operator", "admin");
    private static final Map<String, String> ROLE_TOKENS = Map.of(
            "viewer", Tokens.bearer("probe-viewer", "afk-viewers"),
            "operator", Tokens.bearer("probe-operator", "afk-operators"),
            "admin", Tokens.bearer("probe-admin", "afk-admins"));
    private static final Map<Integer, Integer> STATUSES = new TreeMap<>();
    private static final AtomicInteger SENT = new AtomicInteger();
    private static final List<String> PHASES = new ArrayList<>();

    private static List<Operation> operations;
    private static OpenApiOperations.Schemas schemas;

    @Inject
    Pool pool;

    /** Read once, at the first test: Quarkus points RestAssured at the application only then. */
    @BeforeEach
    void readTheDocument() throws IOException {
        if (operations != null) {
            return;
        }
        JsonNode document = new ObjectMapper().readTree(given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().asByteArray());
        operations = OpenApiOperations.of(document);
        schemas = new OpenApiOperations.Schemas(document);
        assertThat(operations).as("operations in /q/openapi").hasSizeGreaterThan(20);
    }

    @Test
    @Order(1)
    void authenticationMatrix() throws Exception {
        Map<String, String> state = StateHash.of(pool);
        Map<String, String> tokens = HostileTokens.all(trustedKey());
        List<String> violations = new ArrayList<>();
        int before = SENT.get();
        for (Operation op : operations) {
            if (!op.secured()) {
                continue;
            }
            for (Map.Entry<String, String> token : tokens.entrySet()) {
                RawHttp.Response response = send(op.method(), MalformedRequests.target(op, Map.of()), token.getValue(),
                        op.body() == null ? null : "application/json",
                        op.body() == null ? null : MalformedRequests.bytes(Examples.of(op.body(), schemas)));
                boolean noGroups = token.getKey().equals(HostileTokens.NO_GROUPS);
                int expected = noGroups ? 403 : 401;
                String what = op.id() + " with " + token.getKey();
                if (token.getValue() == null && toLogIn(response)) {
                    continue; // a page sends a browser without credentials to its log-in form, and serves nothing
                }
                check(what, response, true, violations);
                if (response != null && (noGroups ? !op.roles().isEmpty() : true) && response.status() != expected) {
                    violations.add(what + ": " + response.status() + ", expected " + expected);
                }
                if (response != null && response.status() == 401 && response.header("www-authenticate") == null) {
                    violations.add(what + ": 401 without WWW-Authenticate");
                }
            }
        }
        PHASES.add("authentication matrix: " + (SENT.get() - before) + " requests");
        assertThat(violations).isEmpty();
        assertThat(StateHash.of(pool)).as("tables after the authentication matrix").isEqualTo(state);
    }

    @Test
    @Order(2)
    void roleMatrix() throws Exception {
        List<String> violations = new ArrayList<>();
        int before = SENT.get();
        Map<String, String> state = StateHash.of(pool);
        for (Operation op : operations) {
            if (!op.secured() || op.roles().isEmpty()) {
                continue;
            }
            int lowest = op.roles().stream().mapToInt(LADDER::indexOf).filter(i -> i >= 0).min().orElse(LADDER.size());
            for (String role : LADDER) {
                boolean allowed = LADDER.indexOf(role) >= lowest;
                // An empty body and names nothing has: an allowed role gets past the role check and no further.
                RawHttp.Response response = send(op.method(), MalformedRequests.target(op, Map.of()), ROLE_TOKENS.get(role),
                        op.body() == null ? null : "application/json", op.body() == null ? null : "{}".getBytes(StandardCharsets.UTF_8));
                String what = op.id() + " as " + role;
                check(what, response, false, violations);
                if (response == null) {
                    continue;
                }
                if (!allowed && response.status() != 403) {
                    violations.add(what + ": " + response.status() + ", the document allows only " + op.roles());
                }
                if (allowed && (response.status() == 401 || response.status() == 403)) {
                    violations.add(what + ": " + response.status() + ", the document allows " + op.roles());
                }
                Map<String, String> after = op.mutating() ? StateHash.of(pool) : state;
                if (response.status() >= 400 && !after.equals(state)) {
                    violations.add(what + ": rejected with " + response.status() + " but changed " + changed(state, after));
                }
                state = after;
            }
        }
        PHASES.add("role matrix: " + (SENT.get() - before) + " requests");
        assertThat(violations).isEmpty();
    }

    @Test
    @Order(3)
    void malformedRequests() throws Exception {
        Map<String, String> state = StateHash.of(pool);
        List<String> violations = new ArrayList<>();
        int before = SENT.get();
        String admin = ROLE_TOKENS.get("admin");
        for (int i = 0; i < operations.size(); i++) {
            Operation op = operations.get(i);
            for (Request request : MalformedRequests.of(op, schemas, i)) {
                RawHttp.Response response = send(request.method(), request.target(), admin, request.contentType(), request.body());
                // A GET may answer a strange filter with an empty page; anything that writes must refuse.
                check(op.id() + " " + request.what(), response, op.mutating(), violations);
            }
        }
        int sent = SENT.get() - before;
        PHASES.add("malformed requests: " + sent + " requests");
        assertThat(violations).isEmpty();
        assertThat(sent).as("malformed requests sent").isGreaterThanOrEqualTo(1000);
        assertThat(StateHash.of(pool)).as("tables after the malformed requests").isEqualTo(state);
    }

    @Test
    @Order(4)
    void webhookCases() throws Exception {
        List<String> violations = new ArrayList<>();
        int before = SENT.get();
        String path = "/webhooks/github";
        byte[] body = WebhookPayloads.push("acme/suite-hook", "6dcb09b5b57875f334f61aebed695e2e4193db5e").body()
                .getBytes(StandardCharsets.UTF_8);
        String signature = WebhookPayloads.signature(FakeGitHubResource.WEBHOOK_SECRET, body);
        Map<String, String> state = StateHash.of(pool);

        Map<String, Map<String, String>> unsigned = new LinkedHashMap<>();
        unsigned.put("unsigned", Map.of("X-GitHub-Event", "push", "X-GitHub-Delivery", UUID.randomUUID().toString()));
        unsigned.put("wrong signature", Map.of("X-GitHub-Event", "push", "X-GitHub-Delivery", UUID.randomUUID().toString(),
                "X-Hub-Signature-256", WebhookPayloads.signature("not-the-secret", body)));
        unsigned.put("malformed signature", Map.of("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=zz"));
        unsigned.put("sha1 signature", Map.of("X-GitHub-Event", "push", "X-Hub-Signature", "sha1=00"));
        unsigned.put("no event", Map.of("X-Hub-Signature-256", signature, "X-GitHub-Delivery", UUID.randomUUID().toString()));
        for (Map.Entry<String, Map<String, String>> c : unsigned.entrySet()) {
            Map<String, String> headers = new LinkedHashMap<>(c.getValue());
            headers.put("Content-Type", "application/json");
            RawHttp.Response response = exchange("POST", path, headers, body);
            check("webhook " + c.getKey(), response, true, violations);
            if (response != null && response.status() != 401) {
                violations.add("webhook " + c.getKey() + ": " + response.status() + ", expected 401");
            }
        }
        byte[] oversize = new byte[3 * 1024 * 1024];
        RawHttp.Response tooLarge = exchange("POST", path, Map.of("X-GitHub-Event", "push", "X-Hub-Signature-256",
                "sha256=" + "ab".repeat(32), "Content-Type", "application/json"), oversize);
        check("webhook oversize", tooLarge, true, violations);
        assertThat(StateHash.of(pool)).as("tables after refused deliveries").isEqualTo(state);

        String delivery = UUID.randomUUID().toString();
        Map<String, String> signed = Map.of("X-GitHub-Event", "push", "X-GitHub-Delivery", delivery,
                "X-Hub-Signature-256", signature, "Content-Type", "application/json");
        RawHttp.Response first = exchange("POST", path, signed, body);
        check("webhook delivery", first, false, violations);
        Map<String, String> recorded = StateHash.of(pool);
        RawHttp.Response replay = exchange("POST", path, signed, body);
        check("webhook replay", replay, false, violations);
        assertThat(replay.body()).contains("duplicate");
        assertThat(StateHash.of(pool)).as("tables after a replay").isEqualTo(recorded);

        violations.addAll(heldConnections(path));
        PHASES.add("webhook cases: " + (SENT.get() - before) + " requests");
        assertThat(violations).isEmpty();
    }

    /**
     * Forty deliveries that declare 1.9 MB and send 64 KB, held open: those the budget of bytes in
     * flight has room for time out (408), the rest are refused at once (429); then the route still works.
     */
    private List<String> heldConnections(String path) throws IOException {
        List<String> violations = new ArrayList<>();
        List<RawHttp> held = new ArrayList<>();
        Map<Integer, Integer> outcomes = new TreeMap<>();
        long heapBefore = usedHeap();
        try {
            for (int i = 0; i < 40; i++) {
                RawHttp http = new RawHttp(RestAssured.port);
                held.add(http);
                http.head("POST", path, Map.of("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + "ab".repeat(32),
                        "Content-Type", "application/json", "Content-Length", "1900000"));
                try {
                    http.send(new byte[64 * 1024]);
                } catch (IOException refused) {
                    // answered and closed already
                }
            }
            for (RawHttp http : held) {
                RawHttp.Response response = http.response(Duration.ofSeconds(20));
                SENT.incrementAndGet();
                record(response);
                check("webhook held connection", response, true, violations);
                if (response != null) {
                    outcomes.merge(response.status(), 1, Integer::sum);
                }
            }
        } finally {
            for (RawHttp http : held) {
                http.close();
            }
        }
        PHASES.add("webhook held connections: " + outcomes + ", heap used " + heapBefore / 1_048_576 + " MB before, "
                + usedHeap() / 1_048_576 + " MB after");
        if (!outcomes.keySet().stream().allMatch(s -> s == 408 || s == 429) || !outcomes.containsKey(429)) {
            violations.add("held connections answered " + outcomes + ", expected 408 and 429 only");
        }
        byte[] body = WebhookPayloads.push("acme/suite-after-held", "6dcb09b5b57875f334f61aebed695e2e4193db5e").body()
                .getBytes(StandardCharsets.UTF_8);
        RawHttp.Response after = exchange("POST", path, Map.of("X-GitHub-Event", "push", "X-GitHub-Delivery",
                UUID.randomUUID().toString(), "X-Hub-Signature-256", WebhookPayloads.signature(FakeGitHubResource.WEBHOOK_SECRET, body),
                "Content-Type", "application/json"), body);
        if (after == null || after.status() != 202) {
            violations.add("a delivery after the held connections: " + (after == null ? "no answer" : after.status()));
        }
        return violations;
    }

    @AfterAll
    static void summary() throws IOException {
        int fiveHundreds = STATUSES.entrySet().stream().filter(e -> e.getKey() >= 500).mapToInt(Map.Entry::getValue).sum();
        String summary = "requests=" + SENT.get() + "\nstatuses=" + STATUSES + "\n5xx=" + fiveHundreds + "\n"
                + String.join("\n", PHASES) + "\n";
        System.err.print("Bad-input suite\n" + summary);
        Files.writeString(Path.of("target", "bad-input-suite.txt"), summary);
    }

    private static RawHttp.Response send(String method, String target, String authorization, String contentType, byte[] body)
            throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return exchange(method, target, headers, body);
    }

    private static RawHttp.Response exchange(String method, String target, Map<String, String> headers, byte[] body)
            throws IOException {
        RawHttp.Response response = RawHttp.exchange(RestAssured.port, method, target, headers, body);
        SENT.incrementAndGet();
        record(response);
        return response;
    }

    private static boolean toLogIn(RawHttp.Response response) {
        return response != null && response.status() == 303 && "/status/login".equals(response.header("location"));
    }

    private static void record(RawHttp.Response response) {
        STATUSES.merge(response == null ? 0 : response.status(), 1, Integer::sum);
    }

    /** Below 500, problem+json when an error, and refused when {@code mustReject}. */
    private static void check(String what, RawHttp.Response response, boolean mustReject, List<String> violations) {
        if (response == null) {
            violations.add(what + ": no answer");
            return;
        }
        int status = response.status();
        if (status >= 500) {
            violations.add(what + ": " + status + " " + response.body());
        }
        String type = response.header("content-type");
        if (status >= 400 && (type == null || !type.startsWith("application/problem+json"))) {
            violations.add(what + ": " + status + " as " + type);
        }
        if (mustReject && status < 400) {
            violations.add(what + ": accepted with " + status);
        }
    }

    private static String changed(Map<String, String> before, Map<String, String> after) {
        return after.keySet().stream().filter(table -> !after.get(table).equals(before.get(table))).toList().toString();
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** The public half of the key the test identity provider signs with. */
    private static PublicKey trustedKey() throws Exception {
        try (var in = BadInputSuiteTests.class.getClassLoader().getResourceAsStream("privateKey.jwk")) {
            JsonWebKey jwk = JsonWebKey.Factory.newJwk(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return ((RsaJsonWebKey) jwk).getRsaPublicKey();
        }
    }
}
