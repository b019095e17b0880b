package dev.afk.controlplane.agents;

import static dev.afk.controlplane.agents.AgentApi.PATH;
import static dev.afk.controlplane.agents.AgentApi.as;
import static dev.afk.controlplane.agents.AgentApi.createRouter;
import static dev.afk.controlplane.agents.AgentApi.person;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a token must be to be believed: not issued in the future, and an e-mail the provider verified. */
@QuarkusTest
class IdentityHygieneTests {

    private static JwtClaimsBuilder vera() {
        return Jwt.preferredUserName("vera").subject("vera").groups(Set.of("afk-viewers"))
                .issuer("https://server.example.com").audience("https://service.example.com").claim("email", "vera@example.org");
    }

    @Test
    void aTokenIssuedInTheFutureIs401() {
        long now = System.currentTimeMillis() / 1000;
        as("Bearer " + vera().issuedAt(now + 86_400).expiresAt(now + 90_000).sign()).get(PATH).then()
                .statusCode(401).contentType("application/problem+json");
        // Within the leeway (60 s): a provider whose clock runs a little ahead.
        as("Bearer " + vera().issuedAt(now + 20).expiresAt(now + 3600).sign()).get(PATH).then().statusCode(200);
    }

    @Test
    void anEmailMarkedUnverifiedMatchesNoShare() {
        String nina = person("nina");
        String name = EngineFixture.agentName("verified");
        createRouter(nina, name, "pool").statusCode(201);
        as(nina).body("{\"email\":\"vera@example.org\"}").post(PATH + "/" + name + "/shares").then().statusCode(201);

        as("Bearer " + vera().claim("email_verified", false).sign()).get(PATH + "/" + name).then().statusCode(404);
        as("Bearer " + vera().claim("email_verified", true).sign()).get(PATH + "/" + name).then().statusCode(200);
        // A provider that does not send the claim: its e-mail is taken as given.
        as("Bearer " + vera().sign()).get(PATH + "/" + name).then().statusCode(200);
    }
}
