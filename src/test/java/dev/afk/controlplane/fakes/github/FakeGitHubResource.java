package dev.afk.controlplane.fakes.github;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts one fake GitHub for the whole test suite and points the adapter at it: API URL, a
 * personal access token file and the webhook secret file. Suites reach it with {@link #fake()}.
 * Tests share it, so each uses repositories of its own.
 */
public class FakeGitHubResource implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "fake-github-suite-token";
    public static final String WEBHOOK_SECRET = "suite-webhook-secret";

    private static volatile FakeGitHub fake;

    public static FakeGitHub fake() {
        if (fake == null) {
            throw new IllegalStateException("the fake GitHub runs only inside a @QuarkusTest");
        }
        return fake;
    }

    @Override
    public Map<String, String> start() {
        fake = FakeGitHub.start().acceptToken(TOKEN);
        try {
            Path dir = Files.createTempDirectory("fake-github");
            Path token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
            Path secret = Files.writeString(dir.resolve("webhook-secret"), WEBHOOK_SECRET + "\n");
            return Map.of(
                    "afk.github.api-url", fake.apiUrl(),
                    "afk.github.token-file", token.toString(),
                    "afk.github.webhook.secret-file", secret.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (fake != null) {
            fake.close();
            fake = null;
        }
    }
}
