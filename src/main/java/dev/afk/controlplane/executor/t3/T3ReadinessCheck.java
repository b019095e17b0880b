package dev.afk.controlplane.executor.t3;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when T3 answers, speaks a supported version and accepts our token with the scopes we
 * need. Without a configured T3 the service still starts (UP, {@code configured=false}).
 */
@Readiness
@ApplicationScoped
class T3ReadinessCheck implements AsyncHealthCheck {

    static final String NAME = "T3 Code executor";

    private final T3Config config;
    private final T3Environment environment;

    T3ReadinessCheck(T3Config config, T3Environment environment) {
        this.config = config;
        this.environment = environment;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        if (config.baseUrl().isEmpty()) {
            // Local runs and services that do not dispatch work without T3: nothing to wait for.
            return Uni.createFrom().item(HealthCheckResponse.named(NAME).up().withData("configured", false).build());
        }
        return environment.probe().map(probe -> {
            HealthCheckResponseBuilder builder = HealthCheckResponse.named(NAME)
                    .status(probe.usable())
                    .withData("configured", true);
            if (probe.version() != null) {
                builder.withData("version", probe.version());
            }
            if (probe.problem() != null) {
                builder.withData("problem", probe.problem());
            }
            return builder.build();
        });
    }
}
