package dev.afk.controlplane.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.afk.controlplane.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** The identity provider does not answer: tokens cannot be checked, and the service says so plainly, once. */
@QuarkusTest
@TestProfile(IdentityProviderDownTests.ProviderDown.class)
class IdentityProviderDownTests {

    public static class ProviderDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Nothing listens on port 1.
            return Map.of("quarkus.oidc.auth-server-url", "http://127.0.0.1:1/realms/down/");
        }
    }

    @Test
    void requestsWithATokenAre503WithRetryAfterAndTheOutageIsLoggedOnce() {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            for (String token : List.of("Bearer garbage", Tokens.viewer(), Tokens.admin(), "Bearer garbage", Tokens.viewer())) {
                given().header("Authorization", token).get("/api/afk/kill-switch").then()
                        .statusCode(503).contentType("application/problem+json")
                        .header("Retry-After", equalTo("30"))
                        .body("type", equalTo("urn:afk:problem:identity-provider-unavailable"));
            }
        } finally {
            root.removeHandler(capture);
        }
        assertThat(records).filteredOn(r -> r.getLevel().intValue() >= Level.SEVERE.intValue()).isEmpty();
        // Once per outage: this one may already have been logged at start-up, never once per request.
        assertThat(records).filteredOn(r -> r.getLoggerName().equals(IdentityProvider.class.getName())
                && r.getLevel().intValue() >= Level.WARNING.intValue()).hasSizeLessThanOrEqualTo(1);
        // Without a token nothing needs the provider: the usual 401.
        given().get("/api/afk/kill-switch").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void healthNamesTheProviderDown() {
        int port = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        given().get("http://localhost:" + port + "/q/health/well").then().statusCode(503)
                .body("checks.find { it.name == 'Identity provider' }.status", equalTo("DOWN"))
                .body("checks.name", hasItem("Identity provider"));
    }
}
