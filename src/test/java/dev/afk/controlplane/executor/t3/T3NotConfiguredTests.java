package dev.afk.controlplane.executor.t3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.afk.controlplane.executor.ExecutorException;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Without a T3 base URL the service still starts and is ready; calls fail as "not configured". */
class T3NotConfiguredTests {

    /** The mapping with its defaults only: no base URL, no token file. */
    private final T3Config config = new SmallRyeConfigBuilder().withMapping(T3Config.class)
            .withConverter(Duration.class, 200, new DurationConverter()).build()
            .unwrap(SmallRyeConfig.class).getConfigMapping(T3Config.class);
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    void readinessIsUpAndSaysSo() {
        HealthCheckResponse response = new T3HealthCheck(config, null).call().await().atMost(Duration.ofSeconds(5));
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(response.getData().orElseThrow()).containsEntry("configured", false);
    }

    @Test
    void callsFailAsNotConfigured() {
        T3Http http = new T3Http(config, new T3Token(config, vertx), new ObjectMapper());
        assertThat(http.configured()).isFalse();
        assertThatThrownBy(() -> http.once(T3Request.shell()).await().indefinitely())
                .isInstanceOfSatisfying(ExecutorException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ExecutorException.Reason.NOT_CONFIGURED);
                    assertThat(e.retryable()).isTrue();
                });
    }
}
