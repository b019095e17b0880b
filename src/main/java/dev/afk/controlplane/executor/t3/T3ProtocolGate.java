package dev.afk.controlplane.executor.t3;

import dev.afk.controlplane.executor.t3.T3Environment.Probe;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Which T3 we are talking to, and whether we may hand it new work. The version is read at start,
 * by every readiness probe, again after T3 was unreachable (a reconnect may be a different T3),
 * and at least every {@code version-recheck}. An unverified version holds dispatch unless an
 * operator allowed it; threads already running are still observed, answered and interrupted.
 */
@ApplicationScoped
class T3ProtocolGate {

    private static final Logger LOG = Logger.getLogger(T3ProtocolGate.class);

    private record Read(Probe probe, Instant at) {}

    private final T3Environment environment;
    private final T3Config config;
    private final T3Metrics metrics;
    private final Clock clock;
    private volatile Read last;

    T3ProtocolGate(T3Environment environment, T3Config config, T3Metrics metrics, Clock clock) {
        this.environment = environment;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent started) {
        if (config.baseUrl().isPresent()) {
            check().subscribe().with(probe -> {}, e -> LOG.warn("Reading T3's version at start failed", e));
        }
    }

    /** Reads T3's version and scopes now and remembers what was found. */
    Uni<Probe> check() {
        return environment.probe().invoke(this::record);
    }

    /** Why no new work may go to T3 now, or empty when it may. */
    Uni<Optional<String>> hold() {
        if (config.baseUrl().isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        Read read = last;
        boolean fresh = read != null && read.probe().version() != null
                && read.at().plus(config.versionRecheck()).isAfter(clock.instant());
        return (fresh ? Uni.createFrom().item(read.probe()) : check()).map(this::holdFor);
    }

    /** Unreachable is not a hold: dispatch effects retry, and the version is read again before the next one. */
    private Optional<String> holdFor(Probe probe) {
        return probe.version() != null && !probe.verified() && !config.allowUnverifiedVersion()
                ? Optional.of(probe.problem())
                : Optional.empty();
    }

    private void record(Probe probe) {
        Read before = last;
        last = new Read(probe, clock.instant());
        metrics.protocolVerified(probe.version() == null ? null : probe.verified());
        if (probe.version() == null || (before != null && Objects.equals(before.probe().version(), probe.version())
                && before.probe().verified() == probe.verified())) {
            return;
        }
        if (probe.verified()) {
            LOG.infof("T3 %s connected; its protocol is verified", probe.version());
        } else if (config.allowUnverifiedVersion()) {
            LOG.warnf("T3 %s speaks a protocol not verified here (%s–%s); dispatching anyway because "
                    + "afk.executor.t3.allow-unverified-version is true", probe.version(), config.minVersion(), config.maxVersion());
        } else {
            LOG.errorf("Dispatch paused: %s", probe.problem());
        }
    }
}
