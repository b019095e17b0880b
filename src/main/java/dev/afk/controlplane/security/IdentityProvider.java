package dev.afk.controlplane.security;

import io.quarkus.oidc.SecurityEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Whether the identity provider answers. Requests find out first (a token cannot be checked:
 * 503, see {@link IdentityProviderMappers}); the health check asks its discovery document
 * ({@link IdentityProviderCheck}). An outage is
 * logged once when it starts and once when it ends, never per request.
 */
@ApplicationScoped
public class IdentityProvider {

    private static final Logger LOG = Logger.getLogger(IdentityProvider.class);

    private final Optional<String> issuer;
    private final WebClient client;
    private final AtomicBoolean down = new AtomicBoolean();

    IdentityProvider(@ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> issuer, Vertx vertx) {
        this.issuer = issuer.filter(url -> !url.isBlank());
        this.client = WebClient.create(vertx);
    }

    /** A token could not be checked because the provider did not answer. */
    void unreachable(Throwable cause) {
        if (down.compareAndSet(false, true)) {
            LOG.warnf("Identity provider %s is unreachable (%s): requests with a token answer 503 until it is back",
                    issuer.orElse("(none configured)"), cause.getMessage());
        }
    }

    void reachable() {
        if (down.compareAndSet(true, false)) {
            LOG.infof("Identity provider %s is reachable again", issuer.orElse("(none configured)"));
        }
    }

    void onOidcEvent(@Observes SecurityEvent event) {
        if (event.getEventType() == SecurityEvent.Type.OIDC_SERVER_AVAILABLE) {
            reachable();
        } else if (event.getEventType() == SecurityEvent.Type.OIDC_SERVER_NOT_AVAILABLE) {
            unreachable(new IllegalStateException("not available at start-up"));
        }
    }

    /** Asks the provider's discovery document; an answer ends an outage, none starts one. */
    Uni<Boolean> probe() {
        if (issuer.isEmpty()) {
            return Uni.createFrom().item(true);
        }
        String base = issuer.get().endsWith("/") ? issuer.get() : issuer.get() + "/";
        return client.getAbs(base + ".well-known/openid-configuration").timeout(2000).send()
                .ifNoItem().after(Duration.ofSeconds(3)).fail()
                .map(response -> response.statusCode() == 200)
                .onFailure().recoverWithItem(false)
                .invoke(up -> {
                    if (up) {
                        reachable();
                    } else {
                        unreachable(new IllegalStateException("its discovery document does not answer"));
                    }
                });
    }

    Optional<String> issuer() {
        return issuer;
    }
}
