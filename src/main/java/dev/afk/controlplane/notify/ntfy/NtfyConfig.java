package dev.afk.controlplane.notify.ntfy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "afk.doorbell.ntfy")
public interface NtfyConfig {

    /** Server root, e.g. {@code https://ntfy.example.org}; messages are published as JSON to it. Unset: no ntfy. */
    Optional<URI> url();

    /** Topic for the install's rings; a repository may name its own. */
    Optional<String> topic();

    /** File holding an access token, sent as a bearer token; unset for an open server. */
    Optional<Path> tokenFile();

    @WithDefault("10s")
    Duration timeout();
}
