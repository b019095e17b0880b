package dev.afk.controlplane.fakes;

import dev.afk.controlplane.fakes.ntfy.FakeNtfy;
import dev.afk.controlplane.fakes.slack.FakeSlack;
import dev.afk.controlplane.fakes.woodpecker.FakeWoodpecker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The fakes of Woodpecker, Slack and ntfy for the whole suite, with their secrets in files as in
 * production. Started once; tests reach them through the static accessors. (GitHub, checks
 * included, is {@code fakes.github.FakeGitHub}, shared with the tracker.)
 */
@QuarkusTestResource(CiDoorbellFakes.Resource.class)
public final class CiDoorbellFakes {

    private static FakeWoodpecker woodpecker;
    private static FakeSlack slack;
    private static FakeNtfy ntfy;

    private CiDoorbellFakes() {}

    public static synchronized FakeWoodpecker woodpecker() {
        if (woodpecker == null) {
            woodpecker = new FakeWoodpecker();
        }
        return woodpecker;
    }

    public static synchronized FakeSlack slack() {
        if (slack == null) {
            slack = new FakeSlack();
        }
        return slack;
    }

    public static synchronized FakeNtfy ntfy() {
        if (ntfy == null) {
            ntfy = new FakeNtfy();
        }
        return ntfy;
    }

    public static final class Resource implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            try {
                Path secrets = Files.createTempDirectory("afk-ci-doorbell-secrets");
                return Map.of(
                        "afk.ci.woodpecker.url", woodpecker().url().toString(),
                        "afk.ci.woodpecker.token-file", secret(secrets, "woodpecker-token", FakeWoodpecker.TOKEN),
                        "afk.doorbell.slack.webhook-file", secret(secrets, "slack-webhook", slack().webhookUrl()),
                        "afk.doorbell.ntfy.url", ntfy().url().toString(),
                        "afk.doorbell.ntfy.topic", "afk-install",
                        "afk.doorbell.ntfy.token-file", secret(secrets, "ntfy-token", FakeNtfy.TOKEN),
                        // Agents' own webhooks are made on the fake, alongside Slack's real prefix.
                        "afk.agents.channels.slack-webhook-prefixes",
                        "https://hooks.slack.com/services/," + slack().url() + "/services/");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
            // The fakes are daemon servers that end with the test JVM; other test classes may still use them.
        }

        private static String secret(Path dir, String name, String value) throws IOException {
            return Files.writeString(dir.resolve(name), value + "\n").toString();
        }
    }
}
