package dev.afk.controlplane.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;

import dev.afk.controlplane.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** Every error, whatever raised it, answers RFC 9457 problem+json without internals. */
@QuarkusTest
class ProblemShapeTests {

    @Test
    void unknownRouteIs404Problem() {
        given().header("Authorization", Tokens.viewer()).get("/api/no-such-thing")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", is(404))
                .body("title", equalTo("Not Found"))
                .body("type", equalTo("urn:afk:problem:not-found"));
    }

    @Test
    void wrongMediaTypeIs415Problem() {
        given().header("Authorization", Tokens.admin()).contentType(ContentType.TEXT).body("engaged")
                .put("/api/afk/kill-switch")
                .then().statusCode(415)
                .contentType("application/problem+json")
                .body("status", is(415));
    }

    @Test
    void oversizedBodyIs413Problem() {
        String huge = "{\"engaged\": true, \"reason\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON).body(huge)
                .put("/api/afk/kill-switch")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("status", is(413));
    }

    @Test
    void unexpectedFailureIs500WithoutInternals() {
        given().header("Authorization", Tokens.viewer()).get("/api/test-only/boom")
                .then().statusCode(500)
                .contentType("application/problem+json")
                .body("status", is(500))
                .body("detail", not(containsString("IllegalStateException")))
                .body("stackTrace", nullValue());
    }

    @Test
    void domainExceptionKeepsItsStatusAndType() {
        given().header("Authorization", Tokens.viewer()).get("/api/test-only/conflict")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:afk:problem:test-conflict"))
                .body("detail", equalTo("it clashes"))
                .body("instance", equalTo("/api/test-only/conflict"));
    }
}
