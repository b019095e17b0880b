package dev.afk.controlplane.status;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.NewCookie;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The local profile's log-in for the status page: the token pasted at {@code /status/login} lives in
 * an HttpOnly, SameSite=Strict cookie scoped to {@code /status}, and is presented as the bearer
 * token of {@code GET /status} only, so the page goes through the same OIDC validation and roles as
 * the API. A browser without one is sent to the log-in form. Off unless {@code afk.status.local-login}.
 */
@ApplicationScoped
class StatusCookie {

    static final String NAME = "afk_status_token";
    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    void register(@Observes Filters filters, StatusConfig config) {
        if (!config.localLogin()) {
            return;
        }
        filters.register(ctx -> {
            var request = ctx.request();
            if (request.method() == HttpMethod.GET && "/status".equals(request.path())
                    && request.getHeader(HttpHeaders.AUTHORIZATION) == null) {
                Cookie cookie = request.getCookie(NAME);
                if (cookie == null || !plausible(cookie.getValue())) {
                    ctx.response().setStatusCode(303).putHeader(HttpHeaders.LOCATION, "/status/login").end();
                    return;
                }
                request.headers().set(HttpHeaders.AUTHORIZATION, "Bearer " + cookie.getValue());
            }
            ctx.next();
        }, 100);
    }

    /** Shaped like a JWT and of a sane size: anything else is not worth a cookie. */
    static boolean plausible(String token) {
        return token.length() <= 8192 && JWT.matcher(token).matches();
    }

    static NewCookie of(String token) {
        return new NewCookie.Builder(NAME).value(token).path("/status").httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).maxAge((int) Duration.ofHours(12).toSeconds()).build();
    }

    static NewCookie cleared() {
        return new NewCookie.Builder(NAME).value("").path("/status").httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).maxAge(0).build();
    }
}
