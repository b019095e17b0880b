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

    private final T3Environment environment;

    T3ReadinessCheck(T3Environment environment) {
        this.environment = environment;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return environment.probe().map(probe -> {
            HealthCheckResponseBuilder builder = HealthCheckResponse.named("T3 Code executor")
                    .status(probe.usable())
                    .withData("configured", probe.configured());
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
