package dev.afk.controlplane.common;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.afk.controlplane.support.RawHttp;
import dev.afk.controlplane.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What a careless or hostile client sends: stored text with control characters, loose JSON, dot segments. */
@QuarkusTest
class HostileInputTests {

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final String NUL = "\\u0000";

    private static String newAgent(String token) {
        String name = "hostile-" + NAMES.incrementAndGet() + "-" + System.nanoTime() % 100000;
        post(token, "/api/agents", "{\"name\": \"" + name + "\", \"nodeType\": \"router\", \"config\": {\"tag\": \"t\"}}")
                .statusCode(201);
        return name;
    }

    private static ValidatableResponse post(String token, String path, String json) {
        return given().header("Authorization", token).contentType(ContentType.JSON).body(json).post(path).then();
    }

    private static void rejectsField(ValidatableResponse response, String field) {
        response.statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:afk:problem:validation"))
                .body("errors.field", hasItem(field));
    }

    @Test
    void controlCharactersInStoredTextAre400NamingTheField() {
        String viewer = Tokens.bearer("cleo", "afk-viewers");
        rejectsField(post(viewer, "/api/agents",
                "{\"name\": \"nul-tags\", \"nodeType\": \"router\", \"config\": {\"tag\": \"t\"}, \"tags\": [\"a" + NUL + "\"]}"),
                "tags[0]");
        rejectsField(post(viewer, "/api/agents",
                "{\"name\": \"nul-config\", \"nodeType\": \"router\", \"config\": {\"tag\": \"t" + NUL + "\"}}"), "config.tag");
        String agent = newAgent(viewer);
        given().header("Authorization", viewer).post("/api/agents/" + agent + "/start").then().statusCode(200);
        rejectsField(post(viewer, "/api/agents/" + agent + "/tasks", "{\"message\": \"hello" + NUL + "\"}"), "message");
        rejectsField(post(viewer, "/api/agents/" + agent + "/shares", "{\"email\": \"a" + NUL + "@example.org\"}"), "email");
        rejectsField(given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"engaged\": true, \"reason\": \"bad\\u0001reason\"}").put("/api/afk/kill-switch").then(), "reason");
        rejectsField(post(Tokens.admin(), "/api/afk/repos", "{\"repo\": \"acme/nul\", \"defaultBranch\": \"main\", "
                + "\"cloneUrl\": \"https://git.example/acme/nul.git\", \"executorModel\": \"m" + NUL + "\"}"), "executorModel");

        given().header("Authorization", Tokens.admin()).get("/api/agents/nul-tags").then().statusCode(404);
        given().header("Authorization", Tokens.admin()).get("/api/afk/repos/acme/nul").then().statusCode(404);
        given().header("Authorization", viewer).get("/api/agents/" + agent + "/tasks").then().statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void nullListItemsAre400() {
        String base = "{\"repo\": \"acme/null-items\", \"defaultBranch\": \"main\", \"cloneUrl\": \"https://git.example/a.git\", ";
        rejectsField(post(Tokens.admin(), "/api/afk/repos", base + "\"ciStages\": [null]}"), "ciStages[0]");
        rejectsField(post(Tokens.admin(), "/api/afk/repos", base + "\"deployments\": [null]}"), "deployments[0]");
        given().header("Authorization", Tokens.admin()).get("/api/afk/repos/acme/null-items").then().statusCode(404);
    }

    @Test
    void outOfRangeNumbersAreTheSameValidationProblem() {
        String viewer = Tokens.bearer("cleo", "afk-viewers");
        rejectsField(post(viewer, "/api/agents",
                "{\"name\": \"too-many\", \"nodeType\": \"router\", \"config\": {\"tag\": \"t\"}, \"maxParallelTasks\": 99999999999}"),
                "maxParallelTasks");
        rejectsField(post(viewer, "/api/agents",
                "{\"name\": \"too-many\", \"nodeType\": \"router\", \"config\": {\"tag\": \"t\"}, \"maxParallelTasks\": 1000}"),
                "maxParallelTasks");
    }

    @Test
    void scalarsMustHaveTheirJsonType() {
        String before = given().header("Authorization", Tokens.admin()).get("/api/afk/kill-switch").then().statusCode(200)
                .extract().jsonPath().getString("engaged");
        for (String engaged : new String[] {"0", "\"false\"", "\"true\"", "1"}) {
            rejectsField(given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                    .body("{\"engaged\": " + engaged + ", \"reason\": \"loose\"}").put("/api/afk/kill-switch").then(), "engaged");
        }
        given().header("Authorization", Tokens.admin()).get("/api/afk/kill-switch").then().body("engaged",
                equalTo(Boolean.parseBoolean(before)));
        rejectsField(post(Tokens.viewer(), "/api/agents",
                "{\"name\": \"string-number\", \"nodeType\": \"router\", \"config\": {\"tag\": \"t\"}, \"maxParallelTasks\": \"5\"}"),
                "maxParallelTasks");
        rejectsField(post(Tokens.viewer(), "/api/agents",
                "{\"name\": 12345, \"nodeType\": \"router\", \"config\": {\"tag\": \"t\"}}"), "name");
        rejectsField(post(Tokens.viewer(), "/api/agents",
                "{\"name\": \"unknown-field\", \"nodeType\": \"router\", \"config\": {\"tag\": \"t\"}, \"owner\": \"ada\"}"), "owner");
        given().header("Authorization", Tokens.admin()).get("/api/agents/string-number").then().statusCode(404);
    }

    @Test
    void jsonBodiesNeedAJsonContentType() throws Exception {
        byte[] body = "{\"engaged\": true, \"reason\": \"no content type\"}".getBytes(StandardCharsets.UTF_8);
        try (RawHttp http = new RawHttp(RestAssured.port)) {
            RawHttp.Response response = http.head("PUT", "/api/afk/kill-switch", Map.of("Authorization", Tokens.admin(),
                    "Content-Length", Integer.toString(body.length))).send(body).response(Duration.ofSeconds(5));
            assertThat(response.status()).isEqualTo(415);
            assertThat(response.header("content-type")).isEqualTo("application/problem+json");
        }
        given().header("Authorization", Tokens.admin()).contentType("text/plain").body(body).put("/api/afk/kill-switch")
                .then().statusCode(415).contentType("application/problem+json");
        given().header("Authorization", Tokens.admin()).get("/api/afk/kill-switch/history").then()
                .body("reason", org.hamcrest.Matchers.not(hasItem("no content type")));
    }

    @Test
    void dotSegmentsAre400BeforeRouting() throws Exception {
        String nina = Tokens.bearer("nina", "afk-viewers");
        String agent = newAgent(nina);
        for (String dots : new String[] {"..", "%2e%2e", "%2E.", ".", "%2e"}) {
            for (String method : new String[] {"DELETE", "GET"}) {
                try (RawHttp http = new RawHttp(RestAssured.port)) {
                    RawHttp.Response response = http.head(method, "/api/agents/" + agent + "/shares/" + dots,
                            Map.of("Authorization", nina)).response(Duration.ofSeconds(5));
                    assertThat(response.status()).as(method + " " + dots).isEqualTo(400);
                    assertThat(response.header("content-type")).isEqualTo("application/problem+json");
                    assertThat(response.body()).contains("urn:afk:problem:bad-path");
                }
            }
        }
        given().header("Authorization", nina).get("/api/agents/" + agent).then().statusCode(200);
    }

    @Test
    void malformedPercentEncodingIsRefused() throws Exception {
        // The HTTP server itself refuses it, with an empty 400, before any handler runs (no hook in Quarkus).
        for (String target : new String[] {"/api/agents/%zz", "/api/agents?tags=%zz"}) {
            try (RawHttp http = new RawHttp(RestAssured.port)) {
                RawHttp.Response response = http.head("GET", target, Map.of("Authorization", Tokens.viewer()))
                        .response(Duration.ofSeconds(5));
                assertThat(response.status()).as(target).isEqualTo(400);
            }
        }
    }

    @Test
    void routesThatDoNotExistAreProblemJson() throws Exception {
        try (RawHttp http = new RawHttp(RestAssured.port)) {
            RawHttp.Response response = http.head("GET", "/no/such/route", Map.of()).response(Duration.ofSeconds(5));
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.header("content-type")).isEqualTo("application/problem+json");
        }
    }

    @Test
    void aCleanTaskStillArrives() {
        String viewer = Tokens.bearer("cleo", "afk-viewers");
        String agent = newAgent(viewer);
        given().header("Authorization", viewer).post("/api/agents/" + agent + "/start").then().statusCode(200);
        post(viewer, "/api/agents/" + agent + "/tasks", "{\"message\": \"line one\\nline two\\ttabbed\"}")
                .statusCode(202).body("message", containsString("tabbed"));
    }
}
