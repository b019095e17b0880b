package dev.afk.controlplane.github;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.mutiny.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Missing GitHub settings fail every call with one message that names what to set, key and environment variable. */
class GitHubNotConfiguredTests {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.closeAndAwait();
    }

    private GitHubConnection connection(Map<String, String> settings) {
        GitHubConfig config = new SmallRyeConfigBuilder().withMapping(GitHubConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(settings, "test", 500)).build()
                .unwrap(SmallRyeConfig.class).getConfigMapping(GitHubConfig.class);
        return new GitHubConnection(config, vertx, new SimpleMeterRegistry(), Clock.systemUTC());
    }

    @Test
    void noCredentialsSayWhichToSet() {
        GitHubConnection none = connection(Map.of());
        for (int call = 0; call < 2; call++) {
            assertThatThrownBy(none::http).isInstanceOf(GitHubUnavailable.class)
                    .hasMessage("GitHub access is not configured: set afk.github.token-file (AFK_GITHUB_TOKEN_FILE), "
                            + "or afk.github.app.id (AFK_GITHUB_APP_ID) with afk.github.app.installation-id "
                            + "and afk.github.app.private-key-file");
        }
    }

    @Test
    void anIncompleteAppSaysWhatIsMissing() {
        assertThatThrownBy(() -> connection(Map.of("afk.github.app.id", "42")).http())
                .hasMessage("GitHub access is not configured: set afk.github.app.installation-id (AFK_GITHUB_APP_INSTALLATION_ID)");
        assertThatThrownBy(() -> connection(Map.of("afk.github.app.id", "42", "afk.github.app.installation-id", "7")).http())
                .hasMessage("GitHub access is not configured: set afk.github.app.private-key-file (AFK_GITHUB_APP_PRIVATE_KEY_FILE)");
    }
}
