package dev.afk.controlplane.github;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.ext.web.client.WebClientOptions;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
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
            WebClient client = WebClient.create(vertx, new WebClientOptions().setUserAgent(GitHubHttp.USER_AGENT));
            http = new GitHubHttp(client, config.apiUrl(), credentials(client), GitHubHttp.Settings.of(config.requests()), metrics, clock);
        }
        return http;
    }

    /**
     * The GitHub App installation token itself (no scheme), for git over HTTPS; empty when GitHub is
     * reached with a personal access token or not at all. Short-lived: ask for it per use, it is
     * re-minted before it expires.
     */
    public Uni<Optional<String>> installationToken() {
        if (config.app().id().isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return Uni.createFrom().item(this::http)
                .chain(github -> github.credentials().authorization())
                .map(header -> Optional.of(header.substring(header.indexOf(' ') + 1)));
    }

    public GitHubMetrics metrics() {
        return metrics;
    }

    private GitHubCredentials credentials(WebClient client) {
        GitHubConfig.App app = config.app();
        if (app.id().isPresent()) {
            long installation = app.installationId().orElseThrow(() -> notConfigured("afk.github.app.installation-id"));
            String pem = privateKey(app.privateKeyFile().orElseThrow(() -> notConfigured("afk.github.app.private-key-file")));
            return new AppInstallationToken(client, config.apiUrl(), installation, new AppJwt(app.id().get(), AppJwt.parsePem(pem)),
                    app.refreshBefore(), config.requests().timeout(), clock);
        }
        return new PersonalAccessToken(vertx, config.tokenFile().orElseThrow(() -> notConfigured("afk.github.token-file or afk.github.app.id")));
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
