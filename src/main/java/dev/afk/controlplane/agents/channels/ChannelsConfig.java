package dev.afk.controlplane.agents.channels;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Agents' own channels: where their bindings may point, and the links their messages carry. */
@ConfigMapping(prefix = "afk.agents.channels")
public interface ChannelsConfig {

    /**
     * The install's public base URL (e.g. {@code https://afk.example.org}): messages link to its
     * Swagger UI to answer an item. Unset: messages carry the item's id and no link.
     */
    Optional<URI> publicUrl();

    /** What an agent's Slack webhook URL must start with; anything else is refused. */
    @WithDefault("https://hooks.slack.com/services/")
    List<String> slackWebhookPrefixes();

    /**
     * ntfy servers a binding may name besides the install's ({@code afk.doorbell.ntfy.url}); https
     * only. Unset: the install's server only. The install's token is never sent to them.
     */
    Optional<List<URI>> ntfyServers();

    /** How often pending items whose ring was lost (a crash right after the raise) are rung again. */
    @WithDefault("1m")
    Duration sweepEvery();
}
