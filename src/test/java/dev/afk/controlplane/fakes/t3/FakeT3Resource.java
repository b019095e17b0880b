package dev.afk.controlplane.fakes.t3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts one {@link FakeT3Server} for the test run and points the T3 adapter at it, with the
 * bearer token in a file as a mounted Secret would hold it. Tests reach the server through
 * {@link #server()} and rotate the token with {@link #writeToken(String)}.
 */
public class FakeT3Resource implements io.quarkus.test.common.QuarkusTestResourceLifecycleManager {

    private static FakeT3Server server;
    private static Path tokenFile;

    /** The running fake (reset it to a fresh state with {@link FakeT3Server#reset()}). */
    public static FakeT3Server server() {
        return server;
    }

    public static Path tokenFile() {
        return tokenFile;
    }

    /** Replaces the token file's content, as a rotated Secret does. */
    public static void writeToken(String token) {
        try {
            Files.writeString(tokenFile, token + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> start() {
        server = new FakeT3Server().start();
        try {
            tokenFile = Files.createTempDirectory("fake-t3").resolve("token");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writeToken(server.adminToken());
        return Map.of(
                "afk.executor.t3.base-url", server.baseUrl(),
                "afk.executor.t3.ui-base-url", "https://t3.example.test/ui",
                "afk.executor.t3.token-file", tokenFile.toString());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
