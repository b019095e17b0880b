package dev.afk.controlplane.executor.t3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.afk.controlplane.common.RestClients;
import dev.afk.controlplane.executor.ExecutorException;
import dev.afk.controlplane.executor.ExecutorException.Reason;
import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * The wire to T3: bearer token, timeouts on every request, one token re-read on 401, and the
 * split between failures worth retrying (transport, timeout, 5xx while T3 starts) and answers the
 * caller must interpret. Retries resend the very same body, so a command keeps its commandId.
 */
@ApplicationScoped
class T3Http {

    static final String BREAKER = "t3";

    private final T3Config config;
    private final T3Token token;
    private final ObjectMapper mapper;
    /** Empty when no base URL is configured. */
    private final Optional<T3Api> api;

    T3Http(T3Config config, T3Token token, ObjectMapper mapper) {
        this.config = config;
        this.token = token;
        this.mapper = mapper;
        // The read timeout is a backstop that closes a silent connection after the call itself has timed out.
        this.api = config.baseUrl().map(base -> RestClients.create(T3Api.class, base, config.connectTimeout(),
                config.requestTimeout().plusSeconds(1)));
    }

    boolean configured() {
        return api.isPresent();
    }

    /** A request with retries (exponential back-off) behind the circuit breaker. */
    @AsynchronousNonBlocking
    @Retry(maxRetries = 3, delay = 200, jitter = 100, maxDuration = 60_000, retryOn = T3Unavailable.class)
    @ExponentialBackoff(factor = 2, maxDelay = 5_000)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 15_000, successThreshold = 2,
            failOn = T3Unavailable.class)
    @CircuitBreakerName(BREAKER)
    public Uni<T3Response> exchange(T3Request request) {
        return once(request);
    }

    /** The breaker refuses calls while T3 keeps failing: to callers that is T3 being unavailable. */
    static Throwable unavailableWhenOpen(Throwable failure) {
        return failure instanceof CircuitBreakerOpenException
                ? new ExecutorException(Reason.UNAVAILABLE, "T3 keeps failing: circuit breaker open")
                : failure;
    }

    /** A single attempt, unguarded: for the readiness probe, which must neither wait nor trip the breaker. */
    Uni<T3Response> once(T3Request request) {
        if (!configured()) {
            return Uni.createFrom().failure(new ExecutorException(Reason.NOT_CONFIGURED, "no T3 base URL is configured"));
        }
        return send(request).onItem().transformToUni(response -> {
            if (response.status() == 401 && request.authenticated()) {
                token.invalidate();
                return send(request);
            }
            return Uni.createFrom().item(response);
        }).map(response -> classify(request, response));
    }

    private Uni<T3Response> send(T3Request request) {
        Uni<Optional<String>> bearer = request.authenticated() ? token.current() : Uni.createFrom().item(Optional.empty());
        return bearer.onItem().transformToUni(value -> request.call()
                .apply(api.orElseThrow(), value.map(v -> "Bearer " + v).orElse(null))
                .map(T3Http::answer)
                .ifNoItem().after(config.requestTimeout())
                .failWith(() -> new T3Unavailable(request.operation() + ": no answer within " + config.requestTimeout()))
                .onFailure(e -> !(e instanceof ExecutorException))
                .transform(e -> new T3Unavailable(request.operation() + ": " + describe(e))));
    }

    private static T3Response answer(Response response) {
        return new T3Response(response.getStatus(), response.getHeaderString("Content-Type"),
                response.hasEntity() ? response.readEntity(String.class) : "");
    }

    /** Turns the answers nobody can act on into exceptions; the rest go back to the caller. */
    private T3Response classify(T3Request request, T3Response response) {
        int status = response.status();
        if (status == 401) {
            throw new ExecutorException(Reason.UNAUTHORISED,
                    "T3 rejected the token (" + response.errorReason(mapper) + ") on " + request.operation());
        }
        if (status == 403) {
            JsonNode json = response.json(mapper);
            throw new ExecutorException(Reason.UNAUTHORISED,
                    "the T3 token lacks the scope " + json.path("requiredScope").asText("?") + " for " + request.operation());
        }
        if (status >= 500 && retryable(response)) {
            throw new T3Unavailable(request.operation() + ": T3 answered " + status);
        }
        return response;
    }

    /**
     * A 500 {@code orchestration_dispatch_failed} is a business answer (re-read the read model) and
     * an empty 500 is our malformed request; every other 5xx is T3 starting or struggling.
     */
    private boolean retryable(T3Response response) {
        if (response.status() != 500) {
            return true;
        }
        return !response.hasEmptyBody() && !"orchestration_dispatch_failed".equals(response.errorReason(mapper));
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }
}
