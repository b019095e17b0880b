package dev.afk.controlplane.github;

import java.time.Duration;
import java.time.Instant;

/**
 * What we know of one token's rate-limit budget, from the headers of its latest answers, and
 * until when every request with it is held back.
 */
public final class RateBudget {

    private long remaining = -1;
    private long limit = -1;
    private Instant reset = Instant.EPOCH;
    private Instant pausedUntil = Instant.EPOCH;
    private int consecutiveLimited;

    public synchronized void observe(long remaining, long limit, Instant reset) {
        this.remaining = remaining;
        this.limit = limit;
        this.reset = reset;
    }

    /** Remaining requests as GitHub last said, or -1 before the first answer. */
    public synchronized long remaining() {
        return remaining;
    }

    public synchronized long limit() {
        return limit;
    }

    /** When the current window ends, as GitHub last said. */
    public synchronized Instant reset() {
        return reset;
    }

    /** How long a new request must wait: a pause after a refusal, or the reset of a spent budget. */
    public synchronized Duration holdOff(Instant now) {
        Instant until = pausedUntil;
        if (remaining == 0 && reset.isAfter(until)) {
            until = reset;
        }
        return now.isBefore(until) ? Duration.between(now, until) : Duration.ZERO;
    }

    /** Records a rate-limited answer; returns how many came just before it. */
    public synchronized int limited(Instant now, Duration wait) {
        Instant until = now.plus(wait);
        if (until.isAfter(pausedUntil)) {
            pausedUntil = until;
        }
        return consecutiveLimited++;
    }

    public synchronized int consecutiveLimited() {
        return consecutiveLimited;
    }

    public synchronized void accepted() {
        consecutiveLimited = 0;
    }
}
