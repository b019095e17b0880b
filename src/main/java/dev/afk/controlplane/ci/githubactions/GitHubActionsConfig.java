package dev.afk.controlplane.ci.githubactions;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "afk.ci.github")
public interface GitHubActionsConfig {

    /** REST API root; GitHub Enterprise Server uses {@code https://<host>/api/v3}. */
    @WithDefault("https://api.github.com")
    URI apiUrl();

    /** File holding a token with read access to checks, statuses and actions. */
    Optional<Path> tokenFile();

    @WithDefault("10s")
    Duration timeout();

    /** Pages of 100 read per list at most; a commit with more check runs is judged on these. */
    @WithDefault("10")
    int maxPages();

    /**
     * Requests left in the rate-limit window below which this stage stops asking until the window
     * resets, so the tracker (which shares the token) keeps budget for its writes.
     */
    @WithDefault("100")
    int rateLimitReserve();

    /** Responses remembered with their ETag: a 304 answer costs no rate limit. */
    @WithDefault("1000")
    int etagCacheSize();
}
