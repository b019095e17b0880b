package dev.afk.controlplane.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackoffTests {

    private static final Duration BASE = Duration.ofSeconds(10);
    private static final Duration MAX = Duration.ofMinutes(30);

    @Test
    void doublesFromTheBaseUpToTheCap() {
        assertThat(Backoff.delay(1, BASE, MAX, Optional.empty())).isEqualTo(Duration.ofSeconds(10));
        assertThat(Backoff.delay(2, BASE, MAX, Optional.empty())).isEqualTo(Duration.ofSeconds(20));
        assertThat(Backoff.delay(4, BASE, MAX, Optional.empty())).isEqualTo(Duration.ofSeconds(80));
        assertThat(Backoff.delay(9, BASE, MAX, Optional.empty())).isEqualTo(MAX);
        assertThat(Backoff.delay(500, BASE, MAX, Optional.empty())).isEqualTo(MAX);
    }

    @Test
    void neverSoonerThanTheChannelAsked() {
        assertThat(Backoff.delay(1, BASE, MAX, Optional.of(Duration.ofSeconds(45)))).isEqualTo(Duration.ofSeconds(45));
        assertThat(Backoff.delay(1, BASE, MAX, Optional.of(Duration.ofHours(1)))).as("even past the cap").isEqualTo(Duration.ofHours(1));
        assertThat(Backoff.delay(3, BASE, MAX, Optional.of(Duration.ofSeconds(5)))).isEqualTo(Duration.ofSeconds(40));
    }
}
