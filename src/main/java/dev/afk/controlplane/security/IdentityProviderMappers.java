package dev.afk.controlplane.security;

import dev.afk.controlplane.common.Problem;
import dev.afk.controlplane.common.ProblemMappers;
import io.quarkus.oidc.OIDCException;
import io.quarkus.security.AuthenticationFailedException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.ConnectException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A token that cannot be checked because the identity provider does not answer is the service's
 * trouble, not the caller's: 503 with {@code Retry-After}, not 401, and not a 500 with a stack trace.
 * Ahead of {@code ProblemMappers}' own mapping of authentication failures.
 */
public class IdentityProviderMappers {

    static final int RETRY_AFTER_SECONDS = 30;

    private final IdentityProvider provider;

    IdentityProviderMappers(IdentityProvider provider) {
        this.provider = provider;
    }

    @ServerExceptionMapper(priority = Priorities.AUTHENTICATION)
    public Response providerDown(OIDCException e, UriInfo uri) {
        return providerFailure(e) ? unavailable(e, uri) : ProblemMappers.unauthorized(uri);
    }

    @ServerExceptionMapper(priority = Priorities.AUTHENTICATION)
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return providerFailure(e) ? unavailable(e, uri) : ProblemMappers.unauthorized(uri);
    }

    private Response unavailable(Throwable e, UriInfo uri) {
        provider.unreachable(e);
        return Response.fromResponse(ProblemMappers.respond(Problem.of(503, "identity-provider-unavailable",
                        "Identity provider unavailable", "Tokens cannot be checked right now; try again shortly",
                        uri == null ? null : "/" + uri.getPath().replaceFirst("^/", ""))))
                .header("Retry-After", RETRY_AFTER_SECONDS).build();
    }

    /**
     * The provider did not answer, as opposed to a token that is wrong: the OIDC layer reports
     * both as OIDCException, and only says "not available" (or fails to connect) for the first.
     */
    private static boolean providerFailure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof TimeoutException
                    || (cause instanceof OIDCException && cause.getMessage() != null
                            && cause.getMessage().toLowerCase(Locale.ROOT).contains("not available"))) {
                return true;
            }
        }
        return false;
    }
}
