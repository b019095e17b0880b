package dev.afk.controlplane.status;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The status page (afk.status.*). */
@ConfigMapping(prefix = "afk.status")
public interface StatusConfig {

    /** How often the page reloads itself. */
    @WithDefault("10s")
    Duration refreshEvery();

    /**
     * Whether {@code /status/login} takes a pasted bearer token and keeps it in a cookie for the page.
     * Only for the local profile, which has no OIDC provider to log in through; production logs in
     * through the provider (the {@code status-browser} OIDC tenant).
     */
    @WithDefault("false")
    boolean localLogin();
}
