package dev.afk.controlplane.notify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "afk.doorbell")
public interface DoorbellConfig {

    /** How often the delivery worker looks for due deliveries (read by its schedule). */
    @WithDefault("5s")
    String pollInterval();

    /** Deliveries claimed per look. */
    @WithDefault("20")
    int batchSize();

    /** How long a claimed delivery is hidden from other replicas; a crash mid-delivery retries after it. */
    @WithDefault("2m")
    Duration lease();

    /** First retry delay; it doubles with every failed attempt up to {@link #backoffMax()}. */
    @WithDefault("10s")
    Duration backoffBase();

    @WithDefault("30m")
    Duration backoffMax();

    /** Attempts before a delivery is given up as FAILED. */
    @WithDefault("20")
    int maxAttempts();

    /** Link to the issue in the tracker, with {repo} (owner/name) and {issue}. */
    @WithDefault("https://github.com/{repo}/issues/{issue}")
    String issueUrlTemplate();
}
