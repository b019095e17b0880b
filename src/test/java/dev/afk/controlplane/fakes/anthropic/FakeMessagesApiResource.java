package dev.afk.controlplane.fakes.anthropic;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** One fake Messages API for the whole suite; the model adapter points at it with a key file. */
public class FakeMessagesApiResource implements QuarkusTestResourceLifecycleManager {

    private static volatile FakeMessagesApi fake;

    public static FakeMessagesApi fake() {
        if (fake == null) {
            throw new IllegalStateException("the fake Messages API runs only inside a @QuarkusTest");
        }
        return fake;
    }

    @Override
    public Map<String, String> start() {
        fake = new FakeMessagesApi();
        try {
            Path key = Files.writeString(Files.createTempDirectory("fake-model").resolve("api-key"), FakeMessagesApi.API_KEY + "\n");
            return Map.of("afk.model.base-url", fake.url().toString(), "afk.model.api-key-file", key.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (fake != null) {
            fake.stop();
            fake = null;
        }
    }
}
