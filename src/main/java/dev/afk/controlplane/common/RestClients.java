package dev.afk.controlplane.common;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The one place where the settings every outbound HTTP adapter shares are made: a user agent,
 * no redirects (an adapter never follows a server elsewhere with its credentials), and no default
 * exception mapping, because each adapter reads every status itself (a 404 or a 429 is an answer,
 * not a failure). Adapters declare their API as a REST Client interface and build it here.
 */
public final class RestClients {

    public static final String USER_AGENT = "afk-control-plane";

    private RestClients() {}

    /**
     * A client of {@code api} against {@code base}; {@code connect} bounds opening a connection and
     * {@code read} waiting for the answer.
     */
    public static <T> T create(Class<T> api, URI base, Duration connect, Duration read) {
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(base)
                .connectTimeout(connect.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(read.toMillis(), TimeUnit.MILLISECONDS)
                .followRedirects(false)
                .userAgent(USER_AGENT)
                .disableDefaultMapper(true)
                .build(api);
    }
}
