package dev.afk.controlplane.status;

import io.quarkus.oidc.TenantResolver;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends a browser asking for the status page without a bearer token to the {@code status-browser} OIDC
 * tenant (code flow: a log-in at the provider, then a session cookie). Everything else, the page
 * with a bearer token included, stays with the default, bearer-only tenant, so API clients get a
 * 401, never a redirect.
 */
@ApplicationScoped
class StatusTenant implements TenantResolver {

    static final String TENANT = "status-browser";

    private final boolean enabled;

    StatusTenant(@ConfigProperty(name = "quarkus.oidc.status-browser.tenant-enabled", defaultValue = "false") boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public String resolve(RoutingContext context) {
        boolean browser = context.request().getHeader(HttpHeaders.AUTHORIZATION) == null;
        return enabled && browser && context.request().path().startsWith("/status") ? TENANT : null;
    }
}
