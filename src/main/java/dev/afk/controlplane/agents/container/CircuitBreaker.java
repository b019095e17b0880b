package dev.afk.controlplane.agents.container;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Stops asking an engine that keeps failing: after {@code threshold} consecutive failures it
 * stays open for {@code openFor}, then lets one call through (half-open). Callers then answer
 * "unavailable" at once instead of waiting on every request for a timeout.
 */
final class CircuitBreaker {

    private final int threshold;
    private final Duration openFor;
    private final Clock clock;
    private int failures;
    private Instant openUntil = Instant.MIN;

    CircuitBreaker(int threshold, Duration openFor, Clock clock) {
        this.threshold = threshold;
        this.openFor = openFor;
        this.clock = clock;
    }

    synchronized boolean allows() {
        return clock.instant().isAfter(openUntil) || clock.instant().equals(openUntil);
    }

    synchronized void succeeded() {
        failures = 0;
        openUntil = Instant.MIN;
    }

    synchronized void failed() {
        failures++;
        if (failures >= threshold) {
            openUntil = clock.instant().plus(openFor);
        }
    }
}
