package dev.afk.controlplane.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** Health and metrics live on the management port without a token; OpenAPI and Swagger UI on the main one. */
@QuarkusTest
class PlatformEndpointsTests {

    private static String management(String path) {
        // Tests bind the management interface to a free port; Quarkus records the one it chose.
        int port = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        return "http://localhost:" + port + path;
    }

    private final String ready = management("/q/health/ready");
    private final String live = management("/q/health/live");
    private final String metrics = management("/q/metrics");

    @Test
    void readinessChecksTheDatabase() {
        given().get(ready).then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Reactive PostgreSQL")))
                .body("checks.find { it.name == 'Database schema' }.status", equalTo("UP"));
        given().get(live).then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void metricsIncludeTheKillSwitch() {
        given().get(metrics).then().statusCode(200).body(containsString("afk_kill_switch_engaged"));
    }

    @Test
    void openApiDescribesTheApiWithOidc() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/afk/kill-switch"))
                .body("components.securitySchemes.oidc.type", equalTo("openIdConnect"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void healthIsNotOnThePublicPort() {
        given().get("/q/health/ready").then().statusCode(404);
    }
}
