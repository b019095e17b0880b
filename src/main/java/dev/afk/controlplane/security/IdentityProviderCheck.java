package dev.afk.controlplane.security;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.Wellness;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Whether the identity provider answers (without it no token can be checked), on
 * {@code /q/health/well} and {@code /q/health}. Not a readiness check: a provider outage would
 * take every replica out of the Service, webhooks included, while the API already answers 503.
 * Without a configured provider (the local profile checks tokens with a key) it is UP,
 * {@code configured=false}.
 */
@Wellness
@ApplicationScoped
class IdentityProviderCheck implements AsyncHealthCheck {

    static final String NAME = "Identity provider";

    private final IdentityProvider provider;

    IdentityProviderCheck(IdentityProvider provider) {
        this.provider = provider;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        if (provider.issuer().isEmpty()) {
            return Uni.createFrom().item(HealthCheckResponse.named(NAME).up().withData("configured", false).build());
        }
        return provider.probe().map(up -> HealthCheckResponse.named(NAME).status(up)
                .withData("issuer", provider.issuer().get()).build());
    }
}
