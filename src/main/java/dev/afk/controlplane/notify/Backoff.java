package dev.afk.controlplane.notify;

import java.time.Duration;
import java.util.Optional;

/** Pure: when to try a delivery again. */
final class Backoff {

    private Backoff() {}

    /**
     * Exponential from {@code base}, capped at {@code max}, after {@code attempts} failed attempts;
     * never sooner than the channel asked for, even past the cap.
     */
    static Duration delay(int attempts, Duration base, Duration max, Optional<Duration> notBefore) {
        Duration exponential = base.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 30));
        Duration capped = exponential.compareTo(max) > 0 ? max : exponential;
        return notBefore.filter(asked -> asked.compareTo(capped) > 0).orElse(capped);
    }
}
