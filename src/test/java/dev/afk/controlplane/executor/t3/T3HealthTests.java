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

    @Inject
    T3Executor executor;

    @Inject
    T3ProtocolGate gate;

    @Inject
    T3Config config;

    @Inject
    T3Http http;

    @Inject
    T3Metrics metrics;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper mapper;

    @AfterEach
    void healthyAgain() {
        T3TestSupport.fresh("0.0.32", reader, breakers);
        T3TestSupport.await(gate.check());
    }

    /** The configuration with {@code allow-unverified-version} turned on. */
    private record AllowingUnverified(T3Config config) implements T3Config {
        @Override public java.util.Optional<java.net.URI> baseUrl() { return config.baseUrl(); }
        @Override public java.util.Optional<java.net.URI> uiBaseUrl() { return config.uiBaseUrl(); }
        @Override public java.util.Optional<java.nio.file.Path> tokenFile() { return config.tokenFile(); }
        @Override public String minVersion() { return config.minVersion(); }
        @Override public String maxVersion() { return config.maxVersion(); }
        @Override public boolean allowUnverifiedVersion() { return true; }
        @Override public Duration versionRecheck() { return config.versionRecheck(); }
        @Override public String providerInstance() { return config.providerInstance(); }
        @Override public String defaultModel() { return config.defaultModel(); }
        @Override public String runtimeMode() { return config.runtimeMode(); }
        @Override public Duration connectTimeout() { return config.connectTimeout(); }
        @Override public Duration requestTimeout() { return config.requestTimeout(); }
        @Override public int readConcurrency() { return config.readConcurrency(); }
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
    void anUnverifiedVersionIsNotReadyAndHoldsDispatchUntilAVerifiedOneAnswers() {
        T3TestSupport.fresh("0.0.40", reader, breakers);
        HealthCheckResponse response = check();
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(response.getData().orElseThrow()).containsEntry("version", "0.0.40").containsEntry("verified", false);
        assertThat(response.getData().orElseThrow().get("problem").toString())
                .contains("T3 0.0.40", "not verified", "0.0.27–0.0.33", "dispatch is paused", "allow-unverified-version");
        assertThat(T3TestSupport.await(executor.dispatchHold())).hasValueSatisfying(hold -> assertThat(hold).contains("0.0.40"));
        assertThat(registry.get("afk.executor.t3.protocol.verified").gauge().value()).isEqualTo(0.0);

        // T3 is replaced by a verified version: the next probe reads it and dispatch resumes.
        T3TestSupport.fresh("0.0.27", reader, breakers);
        assertThat(check().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(T3TestSupport.await(executor.dispatchHold())).isEmpty();
        assertThat(registry.get("afk.executor.t3.protocol.verified").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void theVersionIsReadAgainWhenT3ComesBack() {
        FakeT3Server t3 = T3TestSupport.fresh("0.0.32", reader, breakers);
        assertThat(T3TestSupport.await(gate.hold())).isEmpty();
        t3.hang();
        try {
            assertThat(T3TestSupport.await(gate.check()).version()).isNull();
        } finally {
            t3.release();
        }
        // What answers after the outage is a different T3: the gate does not trust its earlier read.
        t3.version("0.0.40");
        assertThat(T3TestSupport.await(gate.hold())).hasValueSatisfying(hold -> assertThat(hold).contains("0.0.40"));
    }

    @Test
    void anOperatorMayAllowAnUnverifiedVersion() {
        T3TestSupport.fresh("0.0.40", reader, breakers);
        T3Config allowing = new AllowingUnverified(config);
        T3ProtocolGate allowed = new T3ProtocolGate(new T3Environment(http, reader, metrics, mapper, allowing), allowing,
                metrics, java.time.Clock.systemUTC());
        T3Environment.Probe probe = T3TestSupport.await(allowed.check());
        assertThat(probe.usable()).isTrue();
        assertThat(probe.verified()).isFalse();
        assertThat(T3TestSupport.await(allowed.hold())).isEmpty();
        assertThat(reader.path()).isEqualTo(T3Reader.ReadPath.SHELL);
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
