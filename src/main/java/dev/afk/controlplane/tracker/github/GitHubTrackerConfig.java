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
        /** How many (repository, user) permission answers are remembered for issues they do not release. */
        @WithDefault("10000")
        int permissionEntries();
    }

    interface Webhook {
        /** Shared secret of the webhook (HMAC-SHA256), read from this file. No file: every delivery is refused. */
        Optional<Path> secretFile();

        /**
         * Largest delivery accepted; larger is 413. GitHub caps payloads at 25 MB, but the events we
         * subscribe to are kilobytes (a push lists at most 20 commits); a refused delivery only
         * delays its change until the next poll (docs/tracker-github.md).
         */
        @WithDefault("5M")
        MemorySize maxBodySize();

        /** Bytes of all deliveries being read or handled at once; a delivery that would exceed it is 429. */
        @WithDefault("64M")
        MemorySize maxBytesInFlight();

        /** A delivery must have arrived this long after its headers (GitHub gives up after 10 s), else 408. */
        @WithDefault("10s")
        Duration readTimeout();

        /** How long delivery ids are remembered for de-duplication (GitHub redelivers up to 3 days back). */
        @WithDefault("7d")
        Duration deliveryRetention();
    }
}
