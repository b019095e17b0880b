package dev.afk.controlplane.common;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads a secret (a token, a webhook URL) from a mounted file, without blocking. Callers read it on
 * every use, or keep it until it changes or is refused (their choice): either way a rotated
 * Kubernetes Secret is picked up with no restart. The value is never logged.
 */
public final class SecretFile {

    private SecretFile() {}

    /** The trimmed content of the file, or empty when no file is configured. */
    public static Uni<Optional<String>> read(Vertx vertx, Optional<Path> file) {
        return file.isEmpty() ? Uni.createFrom().item(Optional.empty()) : read(vertx, file.get());
    }

    /** The trimmed content of the file, or empty when it holds nothing but white space. */
    public static Uni<Optional<String>> read(Vertx vertx, Path file) {
        return vertx.fileSystem().readFile(file.toString())
                .map(buffer -> Optional.of(buffer.toString(StandardCharsets.UTF_8).strip()).filter(s -> !s.isEmpty()));
    }
}
