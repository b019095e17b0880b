package dev.afk.controlplane.github;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * GitHub access shared by every GitHub adapter: where the API is, how we authenticate, how gently
 * we spend the budget. The tracker's own settings under the same prefix are in its package.
 */
@ConfigMapping(prefix = "afk.github")
public interface GitHubConfig {

    /** REST API root: {@code https://api.github.com}, or {@code https://ghe.example.org/api/v3}. */
    @WithDefault("https://api.github.com")
    URI apiUrl();

    /** Personal access token, read from this file. Used when no App is configured. */
    Optional<Path> tokenFile();

    App app();

    Requests requests();

    /** A GitHub App installation: a short-lived installation token minted from a signed JWT. */
    interface App {
        /** App id (or client id), the JWT's issuer. Setting it selects App authentication. */
        Optional<String> id();

        Optional<Long> installationId();

        /** The App's private key (PEM, PKCS#1 as GitHub issues it, or PKCS#8). */
        Optional<Path> privateKeyFile();

        /** Mint a new installation token this long before the current one expires. */
        @WithDefault("5m")
        Duration refreshBefore();
    }

    interface Requests {
        @WithDefault("30s")
        Duration timeout();

        /** GitHub asks for mutating requests to be serial with at least a second between them. */
        @WithDefault("1s")
        Duration writeSpacing();

        /** Wait after a secondary rate limit that names no Retry-After; doubles while it repeats. */
        @WithDefault("60s")
        Duration secondaryLimitWait();

        /** Longest single wait for a rate limit; a longer one fails the call instead. */
        @WithDefault("15m")
        Duration maxWait();

        /** First pause before retrying a 5xx or a timeout (reads and idempotent writes only); doubles. */
        @WithDefault("1s")
        Duration retryBackoff();

        /** Attempts per call, the first included. */
        @WithDefault("4")
        int maxAttempts();

        /** Conditional-request cache entries (one per URL and page). */
        @WithDefault("20000")
        int cacheEntries();
    }
}
