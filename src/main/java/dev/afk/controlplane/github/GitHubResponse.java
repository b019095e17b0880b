package dev.afk.controlplane.github;

import java.util.Optional;

/**
 * A GitHub answer as the adapters need it. {@code fromCache} is true when a 304 let us reuse the
 * stored body: such an answer cost no rate limit.
 */
public record GitHubResponse(int status, String body, Optional<String> nextPage, boolean fromCache) {

    public boolean ok() {
        return status >= 200 && status < 300;
    }
}
