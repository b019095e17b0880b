package dev.afk.controlplane.ci.woodpecker;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "afk.ci.woodpecker")
public interface WoodpeckerConfig {

    /** Server root, e.g. {@code https://ci.example.org}; required by repositories with a woodpecker stage. */
    Optional<URI> url();

    /** File holding a Woodpecker personal access token. */
    Optional<Path> tokenFile();

    @WithDefault("10s")
    Duration timeout();

    /** Pages of 50 pipelines of the default branch searched for the commit, newest first. */
    @WithDefault("3")
    int maxPages();
}
