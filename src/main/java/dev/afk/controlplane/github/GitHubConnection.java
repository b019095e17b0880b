package dev.afk.controlplane.github;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * The configured way to GitHub, for every GitHub adapter: one {@link GitHubHttp} for the configured
 * credentials (a GitHub App installation if an App id is set, else a personal access token), so
 * they share its budget, cache and write queue. Built on first use, so the service starts without
 * GitHub settings and only GitHub calls fail.
 */
@ApplicationScoped
public class GitHubConnection {

    private static final Logger LOG = Logger.getLogger(GitHubConnection.class);

    private final GitHubConfig config;
    private final Vertx vertx;
    private final GitHubMetrics metrics;
    private final Clock clock;
    private GitHubHttp http;

    GitHubConnection(GitHubConfig config, Vertx vertx, MeterRegistry registry, Clock clock) {
        this.config = config;
        this.vertx = vertx;
        this.metrics = new GitHubMetrics(registry);
        this.clock = clock;
    }

    /** Reads the App key at start-up, off the event loop; missing settings surface on the first call. */
    void connect(@Observes StartupEvent started) {
        try {
            http();
        } catch (GitHubUnavailable e) {
            LOG.info(e.getMessage());
        }
    }

    public synchronized GitHubHttp http() {
        if (http == null) {
            String appKey = appKeyOrNoneForToken();
            WebClient client = WebClient.create(vertx, new WebClientOptions().setUserAgent(GitHubHttp.USER_AGENT));
            http = new GitHubHttp(client, config.apiUrl(), credentials(client, appKey), GitHubHttp.Settings.of(config.requests()),
                    metrics, clock);
        }
        return http;
    }

    /**
     * Checks the settings and reads the App's private key (null with a token): missing settings
     * fail before anything is built, so a failing call per poll creates nothing.
     */
    private String appKeyOrNoneForToken() {
        GitHubConfig.App app = config.app();
        if (app.id().isEmpty() && config.tokenFile().isEmpty()) {
            throw notConfigured("afk.github.token-file (AFK_GITHUB_TOKEN_FILE), or afk.github.app.id (AFK_GITHUB_APP_ID) "
                    + "with afk.github.app.installation-id and afk.github.app.private-key-file");
        }
        if (app.id().isPresent() && app.installationId().isEmpty()) {
            throw notConfigured("afk.github.app.installation-id (AFK_GITHUB_APP_INSTALLATION_ID)");
        }
        if (app.id().isPresent() && app.privateKeyFile().isEmpty()) {
            throw notConfigured("afk.github.app.private-key-file (AFK_GITHUB_APP_PRIVATE_KEY_FILE)");
        }
        return app.id().isPresent() ? privateKey(app.privateKeyFile().get()) : null;
    }

    public GitHubMetrics metrics() {
        return metrics;
    }

    private GitHubCredentials credentials(WebClient client, String appKey) {
        GitHubConfig.App app = config.app();
        if (appKey != null) {
            return new AppInstallationToken(client, config.apiUrl(), app.installationId().orElseThrow(),
                    new AppJwt(app.id().get(), AppJwt.parsePem(appKey)), app.refreshBefore(), config.requests().timeout(), clock);
        }
        return new PersonalAccessToken(vertx, config.tokenFile().orElseThrow());
    }

    /** Read once, when the connection is built (at start-up, off the event loop). */
    private static String privateKey(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new GitHubUnavailable(0, "cannot read the GitHub App private key file " + file);
        }
    }

    private static GitHubUnavailable notConfigured(String key) {
        return new GitHubUnavailable(0, "GitHub access is not configured: set " + key);
    }
}
