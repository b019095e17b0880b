package dev.afk.controlplane.github;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How long to hold off after GitHub refused a request for rate limiting, as its documentation
 * asks: honour {@code Retry-After}; when the primary budget is spent, wait for its reset; otherwise
 * (a secondary limit that names no time) wait at least the configured minute, doubling each time
 * it repeats.
 */
public record RateLimitPolicy(Duration secondaryWait) {

    /** The rate-limit related headers of one answer. */
    public record Signals(int status, Optional<Long> retryAfterSeconds, Optional<Integer> remaining, Optional<Long> resetEpochSeconds,
            boolean saysRateLimit) {

        /** 403 is also "forbidden": only with a budget or retry signal, or GitHub's message saying so, is it a rate limit. */
        public boolean isRateLimited() {
            if (status == 429) {
                return true;
            }
            return status == 403 && (retryAfterSeconds.isPresent() || remaining.filter(r -> r == 0).isPresent() || saysRateLimit);
        }
    }

    /**
     * The wait before trying again; {@code consecutive} counts earlier rate-limited answers in a row
     * (0 for the first).
     */
    public Duration waitFor(Signals signals, int consecutive, Instant now) {
        if (signals.retryAfterSeconds().isPresent()) {
            return Duration.ofSeconds(Math.max(0, signals.retryAfterSeconds().get()));
        }
        if (signals.remaining().filter(r -> r == 0).isPresent() && signals.resetEpochSeconds().isPresent()) {
            Duration untilReset = Duration.between(now, Instant.ofEpochSecond(signals.resetEpochSeconds().get()));
            return untilReset.isNegative() ? Duration.ZERO : untilReset.plusSeconds(1);
        }
        return secondaryWait.multipliedBy(1L << Math.min(consecutive, 6));
    }
}
