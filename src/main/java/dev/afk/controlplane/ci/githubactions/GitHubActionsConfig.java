package dev.afk.controlplane.ci.githubactions;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The Actions stage's own settings; GitHub access (URL, credentials, requests) is {@code afk.github.*}. */
@ConfigMapping(prefix = "afk.ci.github")
public interface GitHubActionsConfig {

    /** Pages of 100 read per list at most; a commit with more check runs is judged on these. */
    @WithDefault("10")
    int maxPages();

    /**
     * Requests left in the rate-limit window below which this stage stops asking until the window
     * resets, so the tracker (which shares the budget) keeps some for its writes.
     */
    @WithDefault("100")
    int rateLimitReserve();
}
