package dev.afk.controlplane.github;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * GitHub API use as operators watch it: calls by endpoint and status, how many conditional reads
 * were answered 304 (free), and the budget left per token.
 */
public final class GitHubMetrics {

    private final MeterRegistry registry;
    private final AtomicLong conditionalReads = new AtomicLong();
    private final AtomicLong notModified = new AtomicLong();

    public GitHubMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("afk.github.not.modified.ratio", this, GitHubMetrics::notModifiedRatio)
                .description("Share of conditional reads GitHub answered 304 Not Modified (free of rate limit)")
                .register(registry);
    }

    public void call(String method, String endpoint, String status) {
        Counter.builder("afk.github.requests")
                .description("GitHub API calls by endpoint and status")
                .tag("method", method).tag("endpoint", endpoint).tag("status", status)
                .register(registry).increment();
    }

    public void conditionalRead(boolean wasNotModified) {
        conditionalReads.incrementAndGet();
        if (wasNotModified) {
            notModified.incrementAndGet();
        }
    }

    public void budget(String budget, RateBudget rateBudget) {
        Gauge.builder("afk.github.rate.limit.remaining", rateBudget, RateBudget::remaining)
                .description("Requests left in the current rate-limit window, as GitHub last reported (-1: unknown)")
                .tag("budget", budget)
                .register(registry);
    }

    double notModifiedRatio() {
        long reads = conditionalReads.get();
        return reads == 0 ? 0 : (double) notModified.get() / reads;
    }
}
