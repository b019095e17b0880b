package dev.afk.controlplane.github;

import java.util.Optional;

/**
 * A GitHub answer as the adapters need it. {@code fromCache} is true when a 304 let us reuse the
 * stored body: such an answer cost no rate limit. {@code location} is a redirect's target, only
 * when it was asked for ({@link GitHubHttp#redirect}).
 */
public record GitHubResponse(int status, String body, Optional<String> nextPage, boolean fromCache, Optional<String> location) {

    public GitHubResponse(int status, String body, Optional<String> nextPage, boolean fromCache) {
        this(status, body, nextPage, fromCache, Optional.empty());
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }
}
