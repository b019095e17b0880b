package dev.afk.controlplane.common;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Checks on the raw request, ahead of routing, that the application's own code would come too late
 * for: a path with {@code .} or {@code ..} segments (raw or percent-encoded) is 400, because the HTTP
 * layer would otherwise resolve it and route {@code /api/agents/x/shares/..} to {@code /api/agents/x};
 * a body on {@code /api} that is not declared JSON is 415. Failures the HTTP layer raises below the
 * application (a malformed path, say) answer problem+json instead of an empty body.
 */
@ApplicationScoped
public class RequestGuards {

    private static final Set<HttpMethod> WITH_BODY = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

    /** First of all routes, the webhook's included: no other handler sees an unchecked path. */
    void install(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE - 1) Router router) {
        router.route().order(Integer.MIN_VALUE).handler(RequestGuards::path);
        router.route("/api/*").order(Integer.MIN_VALUE).handler(RequestGuards::jsonBody);
        router.route().order(Integer.MIN_VALUE).failureHandler(RequestGuards::failed);
        // Failures before any route matched (a path that cannot be decoded, say) reach the router's error handlers.
        for (int status : new int[] {400, 404, 405, 413, 414, 415, 431}) {
            router.errorHandler(status, RequestGuards::answer);
        }
    }

    private static void path(RoutingContext ctx) {
        String raw = ctx.request().path();
        if (raw == null) {
            reject(ctx, Problem.of(400, "bad-path", "Path cannot be read", "The request has no path", null));
            return;
        }
        for (String segment : raw.split("/", -1)) {
            String decoded = decoded(segment.replace("+", "%2B"));
            if (decoded == null) {
                reject(ctx, Problem.of(400, "bad-path", "Path cannot be read", "The path has a malformed percent-encoding", null));
                return;
            }
            if (decoded.equals(".") || decoded.equals("..")) {
                reject(ctx, Problem.of(400, "bad-path", "Path cannot be read",
                        "The path has a '.' or '..' segment; name resources directly", null));
                return;
            }
        }
        ctx.next();
    }

    /** The text percent-decoded, or null when its percent-encoding is malformed. */
    private static String decoded(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void jsonBody(RoutingContext ctx) {
        if (WITH_BODY.contains(ctx.request().method()) && hasBody(ctx) && !json(ctx.request().getHeader("Content-Type"))) {
            reject(ctx, Problem.of(415, "unsupported-media-type", "Unsupported Media Type",
                    "Request bodies are JSON: send Content-Type: application/json", ctx.request().path()));
            return;
        }
        ctx.next();
    }

    /** A failure of the HTTP layer (no response written yet) as problem+json; 5xx stays with the service's own handler. */
    private static void failed(RoutingContext ctx) {
        if (!answer(ctx)) {
            ctx.next();
        }
    }

    private static boolean answer(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (ctx.response().headWritten() || status < 400 || status >= 500) {
            return false;
        }
        HttpResponseStatus known = HttpResponseStatus.valueOf(status);
        reject(ctx, Problem.of(status, known.reasonPhrase().toLowerCase(java.util.Locale.ROOT).replace(' ', '-'),
                known.reasonPhrase(), "The request cannot be handled as sent", null));
        return true;
    }

    private static boolean hasBody(RoutingContext ctx) {
        String length = ctx.request().getHeader("Content-Length");
        return ctx.request().getHeader("Transfer-Encoding") != null || (length != null && !length.strip().equals("0"));
    }

    private static boolean json(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    static void reject(RoutingContext ctx, Problem problem) {
        ctx.response().setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE).end(Json.encode(problem));
    }
}
