package dev.afk.controlplane.ci;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Reading failing checks' logs (for a diagnosis); how many bytes is the caller's to say. */
@ConfigMapping(prefix = "afk.ci.logs")
public interface CiLogsConfig {

    /** Longest one log may take to read, from the request to its last byte. */
    @WithDefault("20s")
    Duration timeout();
}
