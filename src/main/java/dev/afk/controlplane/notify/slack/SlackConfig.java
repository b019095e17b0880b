package dev.afk.controlplane.notify.slack;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "afk.doorbell.slack")
public interface SlackConfig {

    /** File holding the incoming-webhook URL (the URL is the credential). Unset: no Slack for the install. */
    Optional<Path> webhookFile();

    @WithDefault("10s")
    Duration timeout();
}
