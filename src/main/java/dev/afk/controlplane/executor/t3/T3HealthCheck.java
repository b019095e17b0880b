package dev.afk.controlplane.executor.t3;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import io.smallrye.health.api.HealthGroup;

/**
 * UP when T3 answers, speaks a verified protocol version (or an operator allowed an unverified one)
 * and accepts our token with the scopes we need. Without a configured T3 it is UP with
 * {@code configured=false}. A dependency, not readiness: a T3 outage must not take the API
 * (webhooks, kill switch, cancel, answer) out of its Service, so it is reported in the
 * {@code dependencies} group ({@code /q/health/group/dependencies}); an unverified version holds
 * dispatch through the protocol gate instead.
 */
@HealthGroup(T3HealthCheck.GROUP)
@ApplicationScoped
class T3HealthCheck implements AsyncHealthCheck {

    static final String NAME = "T3 Code executor";
    static final String GROUP = "dependencies";

    private final T3Config config;
    private final T3ProtocolGate gate;

    T3HealthCheck(T3Config config, T3ProtocolGate gate) {
        this.config = config;
        this.gate = gate;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        if (config.baseUrl().isEmpty()) {
            // Local runs and services that do not dispatch work without T3: nothing to wait for.
            return Uni.createFrom().item(HealthCheckResponse.named(NAME).up().withData("configured", false).build());
        }
        // Each probe is also a version read for the dispatch gate: a T3 replaced behind our back is noticed here too.
        return gate.check().map(probe -> {
            HealthCheckResponseBuilder builder = HealthCheckResponse.named(NAME)
                    .status(probe.usable())
                    .withData("configured", true);
            if (probe.version() != null) {
                builder.withData("version", probe.version()).withData("verified", probe.verified());
            }
            if (probe.problem() != null) {
                builder.withData("problem", probe.problem());
            }
            return builder.build();
        });
    }
}
