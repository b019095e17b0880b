package dev.afk.controlplane.afk;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;

import dev.afk.controlplane.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(KillSwitchForcedTests.Forced.class)
class KillSwitchForcedTests {

    public static class Forced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("afk.kill-switch.force-engaged", "true");
        }
    }

    @Test
    void configurationHoldsItEngagedWhateverOperatorsSet() {
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"engaged\": false, \"reason\": \"arm\"}")
                .put("/api/afk/kill-switch")
                .then().statusCode(200)
                .body("engaged", is(true))
                .body("forced", is(true));
    }
}
