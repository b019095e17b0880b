package dev.afk.controlplane.agents;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import java.util.Set;

/** Calls to the registry API as a given person. */
final class AgentApi {

    static final String PATH = "/api/agents";

    private AgentApi() {}

    /** A viewer whose token carries an e-mail claim, as Authentik issues it. */
    static String person(String user) {
        return token(user, user + "@example.org", "afk-viewers");
    }

    static String admin() {
        return token("root", "root@example.org", "afk-admins");
    }

    static String token(String user, String email, String... groups) {
        var claims = Jwt.preferredUserName(user).subject(user).groups(Set.of(groups))
                .issuer("https://server.example.com").audience("https://service.example.com");
        return "Bearer " + (email == null ? claims : claims.claim("email", email)).sign();
    }

    static RequestSpecification as(String token) {
        return given().header("Authorization", token).contentType(ContentType.JSON);
    }

    static ValidatableResponse createRouter(String token, String name, String tag, String... tags) {
        String tagList = tags.length == 0 ? "[]" : "[\"" + String.join("\",\"", tags) + "\"]";
        return as(token).body("{\"name\":\"" + name + "\",\"nodeType\":\"router\",\"config\":{\"tag\":\"" + tag + "\"},"
                + "\"tags\":" + tagList + "}").post(PATH).then();
    }

    static ValidatableResponse adopt(String name, String owner, int capacity, String... tags) {
        String tagList = tags.length == 0 ? "[]" : "[\"" + String.join("\",\"", tags) + "\"]";
        return as(admin()).body("{\"name\":\"" + name + "\",\"owner\":\"" + owner + "\",\"maxParallelTasks\":" + capacity
                + ",\"tags\":" + tagList + "}").post(PATH + "/adopt").then();
    }
}
