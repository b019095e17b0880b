package dev.afk.controlplane.github;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.client.WebClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Credentials of a GitHub App installation: a JWT signed with the App's key buys an installation
 * token (valid an hour), which is re-minted {@code refreshBefore} its expiry. Concurrent callers
 * share one mint.
 */
public final class AppInstallationToken implements GitHubCredentials {

    private record Minted(String header, Instant expiresAt) {}

    private final WebClient client;
    private final String mintUrl;
    private final long installationId;
    private final AppJwt jwt;
    private final Duration refreshBefore;
    private final Duration timeout;
    private final Clock clock;
    private Minted current;
    private Uni<Minted> minting;

    public AppInstallationToken(WebClient client, URI apiUrl, long installationId, AppJwt jwt,
            Duration refreshBefore, Duration timeout, Clock clock) {
        this.client = client;
        this.mintUrl = GitHubHttp.root(apiUrl) + "/app/installations/" + installationId + "/access_tokens";
        this.installationId = installationId;
        this.jwt = jwt;
        this.refreshBefore = refreshBefore;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public String budget() {
        return "app-installation-" + installationId;
    }

    @Override
    public Uni<String> authorization() {
        return Uni.createFrom().deferred(this::fresh).map(Minted::header);
    }

    @Override
    public synchronized void rejected() {
        current = null;
    }

    private synchronized Uni<Minted> fresh() {
        if (current != null && clock.instant().plus(refreshBefore).isBefore(current.expiresAt())) {
            return Uni.createFrom().item(current);
        }
        if (minting == null) {
            minting = mint().onItemOrFailure().invoke(this::minted).memoize().indefinitely();
        }
        return minting;
    }

    private synchronized void minted(Minted token, Throwable failure) {
        if (failure == null) {
            current = token;
        }
        minting = null;
    }

    private Uni<Minted> mint() {
        return client.postAbs(mintUrl)
                .timeout(timeout.toMillis())
                .putHeader("Accept", "application/vnd.github+json")
                .putHeader("X-GitHub-Api-Version", GitHubHttp.API_VERSION)
                .putHeader("User-Agent", GitHubHttp.USER_AGENT)
                .putHeader("Authorization", "Bearer " + jwt.sign(clock.instant()))
                .send()
                .map(response -> {
                    if (response.statusCode() != 201) {
                        throw new GitHubUnavailable(response.statusCode(),
                                "GitHub refused an installation token for installation " + installationId);
                    }
                    JsonObject body = response.bodyAsJsonObject();
                    return new Minted("Bearer " + body.getString("token"), Instant.parse(body.getString("expires_at")));
                });
    }
}
