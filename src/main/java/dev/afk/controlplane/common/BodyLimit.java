package dev.afk.controlplane.common;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a declared-too-large body with 413 problem+json before reading a byte of it. Vert.x's own
 * limit (quarkus.http.limits.max-body-size) stays as the net for chunked bodies.
 */
@ApplicationScoped
public class BodyLimit {

    void install(@Observes Router router,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) {
        long max = limit.asLongValue();
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String declared = ctx.request().getHeader("Content-Length");
            if (declared != null && isOver(declared, max)) {
                Problem problem = Problem.of(413, "payload-too-large", "Payload Too Large",
                        "The request body is larger than " + max + " bytes", ctx.normalizedPath());
                ctx.response().setStatusCode(413)
                        .putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("Connection", "close")
                        .end(Json.encode(problem));
                return;
            }
            ctx.next();
        });
    }

    private static boolean isOver(String contentLength, long max) {
        try {
            return Long.parseLong(contentLength.strip()) > max;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
