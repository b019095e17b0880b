package dev.afk.controlplane.fakes.t3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replays, in order, every exchange recorded against a real T3 0.0.27 (contracts/t3-v0.0.27) on a
 * fake at 0.0.27 and checks the same status, content type and body shape. Tokens were redacted in
 * the recording, so each exchange names which credential it used.
 */
class FakeT3ContractTests {

    private static final String FOLDER = "/contracts/t3-v0.0.27/";
    private static final List<String> EXCHANGES = List.of(
            "01-well-known-environment", "02-auth-session-no-token", "03-auth-session-with-token", "04-snapshot-empty",
            "05-dispatch-project-create", "06-dispatch-project-create-missing-dir", "07-dispatch-thread-create",
            "08-dispatch-thread-turn-start", "09-dispatch-thread-turn-start-resend-same-commandId",
            "10-dispatch-thread-create-unknown-project", "11-dispatch-unknown-type", "12-dispatch-no-token",
            "13-snapshot-no-token", "14-snapshot-bad-token", "15-dispatch-project-create-missing-dir-with-flag",
            "16-auth-pairing-token-readonly", "17-oauth-token-exchange-readonly", "18-auth-session-readonly-token",
            "19-snapshot-readonly-token", "20-dispatch-readonly-token", "21-snapshot-after-failed-turn",
            "22-orchestration-shell", "23-orchestration-thread-by-id",
            "24-dispatch-project-create-resend-same-commandId", "25-dispatch-malformed-json");

    /** Who sent each exchange: nobody, a bad token, the read-only token minted in 16–17, else admin. */
    private static final Set<String> ANONYMOUS = Set.of("01", "02", "12", "13", "17");
    private static final Set<String> READ_ONLY = Set.of("18", "19", "20");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static FakeT3Server t3;

    @BeforeAll
    static void start() {
        // The recording's server had no Claude binary: every turn failed to start.
        t3 = new FakeT3Server().version("0.0.27").directory("/data/repos/example")
                .defaultScript(AgentScript.failToStart("Claude Code native binary not found at claude."))
                .start();
    }

    @AfterAll
    static void stop() {
        t3.close();
    }

    @Test
    void theFakeAnswersEveryGoldenExchangeLikeTheRealServer() throws Exception {
        assertThat(EXCHANGES).hasSize(25);
        String pairingCredential = null;
        String readOnlyToken = null;
        List<String> mismatches = new ArrayList<>();
        for (String name : EXCHANGES) {
            JsonNode golden = load(name);
            String number = name.substring(0, 2);
            String token = ANONYMOUS.contains(number) ? null
                    : number.equals("14") ? "not-a-token"
                    : READ_ONLY.contains(number) ? readOnlyToken
                    : t3.adminToken();
            String body = requestBody(golden, pairingCredential);
            HttpResponse<String> response = send(golden, token, body);
            compare(name, golden, response, mismatches);
            if (number.equals("16")) {
                pairingCredential = JSON.readTree(response.body()).path("credential").asText();
            } else if (number.equals("17")) {
                readOnlyToken = JSON.readTree(response.body()).path("access_token").asText();
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void resendingAnAcceptedCommandReturnsItsOriginalSequence() throws Exception {
        JsonNode golden = load("24-dispatch-project-create-resend-same-commandId");
        // Already accepted by the replay above or here: either way the same sequence both times.
        String body = requestBody(golden, null);
        String first = send(golden, t3.adminToken(), body).body();
        String second = send(golden, t3.adminToken(), body).body();
        assertThat(second).isEqualTo(first);
        assertThat(t3.executed("cmd-project-create-1")).isEqualTo(1);
    }

    @Test
    void theShapeComparisonCatchesWhatADifferentServerWouldChange() throws Exception {
        JsonNode golden = load("19-snapshot-readonly-token").path("response_body");
        com.fasterxml.jackson.databind.node.ObjectNode changed = golden.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) changed.path("threads").get(0)).remove("session");
        ((com.fasterxml.jackson.databind.node.ObjectNode) changed.path("projects").get(0)).putNull("title");
        List<String> mismatches = new ArrayList<>();
        shape("19", "$", golden, changed, mismatches);
        assertThat(mismatches).hasSize(2);
        List<String> none = new ArrayList<>();
        shape("19", "$", golden, golden.deepCopy(), none);
        assertThat(none).isEmpty();
    }

    private static JsonNode load(String name) throws IOException {
        try (InputStream in = FakeT3ContractTests.class.getResourceAsStream(FOLDER + name + ".json")) {
            assertThat(in).as(name).isNotNull();
            return JSON.readTree(in);
        }
    }

    private static String requestBody(JsonNode golden, String pairingCredential) throws IOException {
        JsonNode body = golden.path("request_body");
        if (body.isNull() || body.isMissingNode()) {
            return null;
        }
        if (body.isTextual()) {
            return pairingCredential == null ? body.asText() : body.asText().replace("<pairing-credential>", pairingCredential);
        }
        return JSON.writeValueAsString(body);
    }

    private static HttpResponse<String> send(JsonNode golden, String token, String body) throws Exception {
        String[] line = golden.path("request").asText().split(" ");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(t3.baseUrl() + line[1]))
                .method(line[0], body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (JsonNode header : golden.path("request_headers")) {
            String[] kv = header.asText().split(": ", 2);
            request.header(kv[0], kv[1]);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void compare(String name, JsonNode golden, HttpResponse<String> response, List<String> mismatches)
            throws IOException {
        int status = Integer.parseInt(golden.path("status").asText().split(" ")[1]);
        if (response.statusCode() != status) {
            mismatches.add(name + ": status " + response.statusCode() + " instead of " + status);
        }
        String contentType = golden.path("response_content_type").isNull() ? null : golden.path("response_content_type").asText();
        String actualType = response.headers().firstValue("Content-Type").orElse(null);
        if (!java.util.Objects.equals(contentType, actualType)) {
            mismatches.add(name + ": content type " + actualType + " instead of " + contentType);
        }
        JsonNode expected = golden.path("response_body");
        JsonNode actual = "application/json".equals(actualType) ? JSON.readTree(response.body()) : JSON.valueToTree(response.body());
        if (expected.isTextual() && expected.asText().isEmpty() != response.body().isEmpty()) {
            mismatches.add(name + ": body emptiness differs");
        }
        shape(name, "$", expected, actual, mismatches);
    }

    /** Same JSON types, same object keys, same null-ness, same array emptiness, element by element. */
    static void shape(String name, String path, JsonNode expected, JsonNode actual, List<String> mismatches) {
        if (expected.getNodeType() != actual.getNodeType()) {
            mismatches.add(name + " " + path + ": " + actual.getNodeType() + " instead of " + expected.getNodeType());
            return;
        }
        if (expected.isObject()) {
            Set<String> want = fieldNames(expected);
            Set<String> have = fieldNames(actual);
            if (!want.equals(have)) {
                mismatches.add(name + " " + path + ": keys " + have + " instead of " + want);
                return;
            }
            for (String key : want) {
                shape(name, path + "." + key, expected.get(key), actual.get(key), mismatches);
            }
        } else if (expected.isArray()) {
            if (expected.isEmpty() != actual.isEmpty()) {
                mismatches.add(name + " " + path + ": " + actual.size() + " items instead of " + expected.size());
                return;
            }
            for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
                shape(name, path + "[" + i + "]", expected.get(i), actual.get(i), mismatches);
            }
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            names.add(it.next().getKey());
        }
        return names;
    }
}
