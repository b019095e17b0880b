package dev.afk.controlplane.executor.t3;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The T3 Code executor. Without a base URL the adapter is off: calls fail as "not configured". */
@ConfigMapping(prefix = "afk.executor.t3")
public interface T3Config {

    /** T3's HTTP origin as this service reaches it, e.g. {@code http://t3.afk.svc:3773}. */
    Optional<URI> baseUrl();

    /** T3's web UI as a human reaches it, for deep links; defaults to the base URL. */
    Optional<URI> uiBaseUrl();

    /** File holding the bearer token (a mounted Secret); re-read when it changes and on 401. */
    Optional<Path> tokenFile();

    /** Oldest T3 version whose protocol this adapter was verified against (inclusive). */
    @WithDefault("0.0.27")
    String minVersion();

    /** Newest T3 version whose protocol this adapter was verified against (inclusive). */
    @WithDefault("0.0.33")
    String maxVersion();

    /**
     * Speak to a T3 outside min–max anyway. Off: such a T3 is not ready and no new work is
     * dispatched to it until it is replaced or an operator turns this on.
     */
    @WithDefault("false")
    boolean allowUnverifiedVersion();

    /** How long the dispatch gate trusts the version it read before reading it again. */
    @WithDefault("1m")
    Duration versionRecheck();

    /** Provider instance threads run on ({@code claudeAgent}, {@code codex}, ...). */
    @WithDefault("claudeAgent")
    String providerInstance();

    /** Model used when a run names none. */
    @WithDefault("claude-sonnet-4-6")
    String defaultModel();

    /** Runtime mode of new threads: {@code full-access}, {@code auto-accept-edits}, {@code approval-required}. */
    @WithDefault("full-access")
    String runtimeMode();

    /** Time allowed to open a connection. */
    @WithDefault("2s")
    Duration connectTimeout();

    /** Time allowed for a whole request and its response: a starting T3 may never answer. */
    @WithDefault("10s")
    Duration requestTimeout();

    /** Thread bodies fetched at once during one observation (0.0.29+ read path). */
    @WithDefault("4")
    int readConcurrency();
}
