package dev.afk.controlplane.common;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads a secret (a token, a webhook URL) from a mounted file, without blocking, on every use: a
 * rotated Kubernetes Secret is picked up with no restart. The value is never logged.
 */
public final class SecretFile {

    private SecretFile() {}

    /** The trimmed content of the file, or empty when no file is configured. */
    public static Uni<Optional<String>> read(Vertx vertx, Optional<Path> file) {
        if (file.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return vertx.fileSystem().readFile(file.get().toString())
                .map(buffer -> Optional.of(buffer.toString().strip()).filter(s -> !s.isEmpty()));
    }
}
