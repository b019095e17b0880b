package dev.afk.controlplane.agents.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CircuitBreakerTests {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-24T12:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @Test
    void opensAfterConsecutiveFailuresAndLetsOneCallThroughLater() {
        CircuitBreaker breaker = new CircuitBreaker(2, Duration.ofSeconds(10), clock);
        breaker.failed();
        assertThat(breaker.allows()).isTrue();
        breaker.failed();
        assertThat(breaker.allows()).isFalse();

        now.set(now.get().plusSeconds(11));
        assertThat(breaker.allows()).isTrue();
        breaker.failed();
        assertThat(breaker.allows()).as("a failed trial call reopens it").isFalse();

        now.set(now.get().plusSeconds(11));
        breaker.succeeded();
        breaker.failed();
        assertThat(breaker.allows()).as("a success resets the count").isTrue();
    }
}
