package dev.afk.controlplane.tracker.github;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The issue tracker's own GitHub settings: trust checks and webhooks (access itself: {@code github.GitHubConfig}). */
@ConfigMapping(prefix = "afk.github")
public interface GitHubTrackerConfig {

    Trust trust();

    Webhook webhook();

    interface Trust {
        /** How long a (repository, user) permission answer is reused. */
        @WithDefault("5m")
        Duration permissionTtl();

        @WithDefault("10000")
        int permissionEntries();
    }

    interface Webhook {
        /** Shared secret of the webhook (HMAC-SHA256), read from this file. No file: every delivery is refused. */
        Optional<Path> secretFile();

        /**
         * Largest delivery accepted. GitHub caps payloads at 25 MB; anything larger is refused
         * with 413 before it is read, and polling still catches the change.
         */
        @WithDefault("25M")
        MemorySize maxBodySize();

        /** How long delivery ids are remembered for de-duplication (GitHub redelivers up to 3 days back). */
        @WithDefault("7d")
        Duration deliveryRetention();
    }
}
