package dev.afk.controlplane.github;

import io.smallrye.mutiny.Uni;

/** How requests authenticate: a personal access token or a GitHub App installation. */
public interface GitHubCredentials {

    /** Names the rate-limit budget these credentials draw on; safe for metrics and logs. */
    String budget();

    /** The value of the Authorization header. */
    Uni<String> authorization();

    /** GitHub refused the credentials: forget them, so the next call re-reads or re-mints them. */
    void rejected();
}
