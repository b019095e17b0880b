package dev.afk.controlplane.executor.t3;

import dev.afk.controlplane.executor.ExecutorException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls to T3 by operation and outcome, their latency, the circuit breaker's state, and the
 * version of the connected T3 as a label of {@code afk.executor.t3.server}.
 */
@ApplicationScoped
class T3Metrics {

    /** What a successful call amounted to, when "ok" is not precise enough. */
    enum Outcome { OK, ALREADY_APPLIED }

    private final MeterRegistry registry;
    private final MultiGauge server;
    /** 1 verified, 0 not verified, -1 not read yet or T3 unreachable. */
    private final AtomicInteger protocolVerified = new AtomicInteger(-1);

    T3Metrics(MeterRegistry registry, CircuitBreakerMaintenance breakers) {
        this.registry = registry;
        this.server = MultiGauge.builder("afk.executor.t3.server")
                .description("1 for the version of the T3 server last probed (label version)")
                .register(registry);
        Gauge.builder("afk.executor.t3.breaker.state", breakers, b -> breakerState(b))
                .description("T3 circuit breaker: 0 closed, 1 half-open, 2 open")
                .register(registry);
        Gauge.builder("afk.executor.t3.protocol.verified", protocolVerified, AtomicInteger::get)
                .description("1 when the connected T3 speaks a verified protocol version, 0 when not "
                        + "(dispatch paused unless allowed), -1 when unknown")
                .register(registry);
    }

    void protocolVerified(Boolean verified) {
        protocolVerified.set(verified == null ? -1 : verified ? 1 : 0);
    }

    /** Times the call and counts it under its outcome: a result's {@link Outcome} or a failure's reason. */
    <T> Uni<T> timed(String operation, Uni<T> call) {
        return Uni.createFrom().deferred(() -> {
            Timer.Sample sample = Timer.start(registry);
            return call.onItemOrFailure().invoke((item, failure) -> {
                sample.stop(Timer.builder("afk.executor.t3.call.duration")
                        .description("Latency of calls to T3, retries included")
                        .tags("operation", operation)
                        .register(registry));
                Counter.builder("afk.executor.t3.calls")
                        .description("Calls to T3 by operation and outcome")
                        .tags("operation", operation, "outcome", outcome(item, failure))
                        .register(registry)
                        .increment();
            });
        });
    }

    /** Records the version of the T3 server just probed (or none when unreachable). */
    void connectedVersion(String version) {
        server.register(version == null ? List.of()
                : List.of(MultiGauge.Row.of(Tags.of("version", version), 1)), true);
    }

    private static String outcome(Object item, Throwable failure) {
        if (failure instanceof ExecutorException e) {
            return e.reason().name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        if (failure != null) {
            return "error";
        }
        return item instanceof Outcome o ? o.name().toLowerCase(Locale.ROOT).replace('_', '-') : "ok";
    }

    private static double breakerState(CircuitBreakerMaintenance breakers) {
        try {
            CircuitBreakerState state = breakers.currentState(T3Http.BREAKER);
            return switch (state) {
                case CLOSED -> 0;
                case HALF_OPEN -> 1;
                case OPEN -> 2;
            };
        } catch (IllegalArgumentException notYetUsed) {
            return 0;
        }
    }
}
