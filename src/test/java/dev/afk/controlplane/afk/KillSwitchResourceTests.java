package dev.afk.controlplane.afk;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import dev.afk.controlplane.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

@QuarkusTest
class KillSwitchResourceTests {

    private static final String PATH = "/api/afk/kill-switch";

    @Test
    void adminChangesAreAuditedWithWhoAndWhy() {
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"engaged\": false, \"reason\": \"pilot on two repos\"}")
                .put(PATH)
                .then().statusCode(200)
                .body("engaged", is(false))
                .body("changedBy", equalTo("ada"))
                .body("reason", equalTo("pilot on two repos"));

        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"engaged\": true, \"reason\": \"incident 42\"}")
                .put(PATH)
                .then().statusCode(200).body("engaged", is(true));

        given().header("Authorization", Tokens.viewer())
                .queryParam("limit", 2)
                .get(PATH + "/history")
                .then().statusCode(200)
                .body("", hasSize(2))
                .body("[0].reason", equalTo("incident 42"))
                .body("[0].changedBy", equalTo("ada"))
                .body("[1].engaged", is(false));

        given().header("Authorization", Tokens.viewer()).get(PATH)
                .then().body("engaged", is(true)).body("reason", equalTo("incident 42"));
    }

    @Test
    void withoutTokenIs401ProblemWithBearerChallenge() {
        given().get(PATH)
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("status", is(401));
        given().header("Authorization", "Bearer not-a-jwt").get(PATH)
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void userWithoutMappedGroupIs403() {
        given().header("Authorization", Tokens.bearer("mallory", "some-other-group")).get(PATH)
                .then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:afk:problem:forbidden"));
    }

    @Test
    void onlyAdminsMayChangeIt() {
        for (String token : new String[] {Tokens.viewer(), Tokens.operator()}) {
            given().header("Authorization", token).contentType(ContentType.JSON)
                    .body("{\"engaged\": false, \"reason\": \"try\"}")
                    .put(PATH)
                    .then().statusCode(403).contentType("application/problem+json");
        }
        given().header("Authorization", Tokens.operator()).get(PATH).then().statusCode(200);
    }

    @Test
    void invalidChangesAre400AndChangeNothing() {
        String before = given().header("Authorization", Tokens.viewer()).get(PATH).then().extract().asString();

        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"engaged\": false}")
                .put(PATH)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:afk:problem:validation"))
                .body("errors[0].field", equalTo("reason"));
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"engaged\": \"sometimes\", \"reason\": \"x\"}")
                .put(PATH)
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("engaged"));
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body("{not json")
                .put(PATH)
                .then().statusCode(400).contentType("application/problem+json");
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .put(PATH)
                .then().statusCode(400).contentType("application/problem+json");

        given().header("Authorization", Tokens.viewer()).get(PATH).then().body(equalTo(before));
    }
}
