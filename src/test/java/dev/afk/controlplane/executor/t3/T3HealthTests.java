package dev.afk.controlplane.executor.t3;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.afk.controlplane.fakes.t3.FakeT3Resource;
import dev.afk.controlplane.fakes.t3.FakeT3Server;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.health.HealthCheckResponse;
import io.smallrye.health.api.HealthGroup;
import static org.hamcrest.Matchers.not;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dependency check: T3 up, supported, and our token scoped; the connected version as a metric. */
@QuarkusTest
class T3HealthTests {

    @Inject
    @HealthGroup(T3HealthCheck.GROUP)
    T3HealthCheck readiness;

    @Inject
    T3Reader reader;

    @Inject
    CircuitBreakerMaintenance breakers;

    @Inject
    MeterRegistry registry;

    @AfterEach
    void healthyAgain() {
        T3TestSupport.fresh("0.0.32", reader, breakers);
    }

    private HealthCheckResponse check() {
        return readiness.call().await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void aSupportedT3WithAScopedTokenIsReady() {
        T3TestSupport.fresh("0.0.27", reader, breakers);
        HealthCheckResponse response = check();
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(response.getData().orElseThrow()).containsEntry("version", "0.0.27").containsEntry("configured", true);
        // The probe chose the read path from the version: no trial request to /shell needed.
        assertThat(reader.path()).isEqualTo(T3Reader.ReadPath.SNAPSHOT);
        assertThat(registry.get("afk.executor.t3.server").tag("version", "0.0.27").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void aT3OutageLeavesTheServiceReadyAndShowsInTheDependencyGroup() {
        FakeT3Server t3 = T3TestSupport.fresh("0.0.32", reader, breakers);
        int port = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        given().get("http://localhost:" + port + "/q/health/group/dependencies").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(T3HealthCheck.NAME));

        t3.hang();
        given().get("http://localhost:" + port + "/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", not(hasItem(T3HealthCheck.NAME)));
        given().get("http://localhost:" + port + "/q/health/group/dependencies").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == '" + T3HealthCheck.NAME + "' }.data.problem", org.hamcrest.Matchers.containsString("no answer"));
    }

    @Test
    void anUnsupportedVersionIsNotReady() {
        T3TestSupport.fresh("0.0.40", reader, breakers);
        HealthCheckResponse response = check();
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(response.getData().orElseThrow().get("problem").toString()).contains("outside the supported range");
    }

    @Test
    void aTokenWithoutTheOperateScopeIsNotReady() {
        FakeT3Server t3 = T3TestSupport.fresh("0.0.32", reader, breakers);
        FakeT3Resource.writeToken(t3.issueToken("orchestration:read"));
        HealthCheckResponse response = check();
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(response.getData().orElseThrow().get("problem").toString()).contains("orchestration:operate");
    }

    @Test
    void aRejectedTokenIsNotReady() {
        FakeT3Server t3 = T3TestSupport.fresh("0.0.32", reader, breakers);
        t3.revoke(t3.adminToken());
        HealthCheckResponse response = check();
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(response.getData().orElseThrow().get("problem").toString()).contains("unauthorised");
    }

    @Test
    void aT3ThatDoesNotAnswerIsNotReady() {
        FakeT3Server t3 = T3TestSupport.fresh("0.0.32", reader, breakers);
        t3.hang();
        HealthCheckResponse response = check();
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(response.getData().orElseThrow().get("problem").toString()).contains("no answer");
    }
}
