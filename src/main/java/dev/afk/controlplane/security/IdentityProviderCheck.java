package dev.afk.controlplane.security;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the identity provider answers: without it no token can be checked. Without a
 * configured provider (the local profile checks tokens with a key) it is UP, {@code configured=false}.
 */
@Readiness
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
