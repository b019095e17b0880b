package dev.afk.controlplane.executor.t3;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.Response;
import java.util.function.BiFunction;

/**
 * One call of {@link T3Api}; {@code operation} names it in metrics (a command type or a route).
 * {@code call} gets the API and the bearer header ({@code null} for an anonymous call).
 */
record T3Request(String operation, boolean authenticated, BiFunction<T3Api, String, Uni<Response>> call) {

    static T3Request environment() {
        return new T3Request("probe.environment", false, (api, authorization) -> api.environment());
    }

    static T3Request session() {
        return new T3Request("probe.session", true, T3Api::session);
    }

    static T3Request shell() {
        return new T3Request("read.shell", true, T3Api::shell);
    }

    static T3Request snapshot() {
        return new T3Request("read.snapshot", true, T3Api::snapshot);
    }

    static T3Request thread(String threadId) {
        return new T3Request("read.thread", true, (api, authorization) -> api.thread(authorization, threadId));
    }

    /** The very same body on every retry, so a command keeps its commandId. */
    static T3Request dispatch(String command, String type) {
        return new T3Request(type, true, (api, authorization) -> api.dispatch(authorization, command));
    }
}
