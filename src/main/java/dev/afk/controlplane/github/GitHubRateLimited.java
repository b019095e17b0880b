package dev.afk.controlplane.github;

import java.time.Duration;

/** GitHub's rate limit holds requests back for longer than the caller was willing to wait. */
public class GitHubRateLimited extends GitHubUnavailable {

    private final Duration retryAfter;

    /** {@code upstreamStatus}: GitHub's refusal, or 0 when the budget held the request back before it was sent. */
    public GitHubRateLimited(int upstreamStatus, Duration retryAfter, String detail) {
        super(upstreamStatus, detail);
        this.retryAfter = retryAfter;
    }

    /** How long until GitHub takes requests again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
