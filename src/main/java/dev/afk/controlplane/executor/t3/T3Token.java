package dev.afk.controlplane.executor.t3;

import dev.afk.controlplane.common.SecretFile;
import dev.afk.controlplane.executor.ExecutorException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileProps;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The bearer token, read from a mounted Secret. A rotated Secret changes the file, so every use
 * checks its modification time and size (asynchronously) and re-reads it when they change; a 401
 * forces a re-read too. The value is never logged nor put in an exception.
 */
@ApplicationScoped
class T3Token {

    private final T3Config config;
    private final Vertx vertx;
    private final io.vertx.mutiny.core.Vertx files;
    private final AtomicReference<Cached> cached = new AtomicReference<>();

    T3Token(T3Config config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
        this.files = io.vertx.mutiny.core.Vertx.newInstance(vertx);
    }

    /** The current token, or empty when no token file is configured. */
    Uni<Optional<String>> current() {
        if (config.tokenFile().isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        String path = config.tokenFile().get().toString();
        return Uni.createFrom().completionStage(() -> vertx.fileSystem().props(path).toCompletionStage())
                .onItem().transformToUni(props -> {
                    Cached known = cached.get();
                    return known != null && known.matches(props)
                            ? Uni.createFrom().item(known.value)
                            : read(path, props);
                })
                .map(Optional::of)
                .onFailure(e -> !(e instanceof ExecutorException))
                .transform(e -> new ExecutorException(ExecutorException.Reason.UNAUTHORISED,
                        "cannot read the T3 token file " + path + ": " + e.getClass().getSimpleName()));
    }

    /** Forgets the cached value so the next use reads the file again (after a 401). */
    void invalidate() {
        cached.set(null);
    }

    private Uni<String> read(String path, FileProps props) {
        return SecretFile.read(files, Path.of(path)).map(token -> {
            String value = token.orElseThrow(() -> new ExecutorException(ExecutorException.Reason.UNAUTHORISED,
                    "the T3 token file " + path + " is empty"));
            cached.set(new Cached(value, props.lastModifiedTime(), props.size()));
            return value;
        });
    }

    private record Cached(String value, long modified, long size) {
        boolean matches(FileProps props) {
            return props.lastModifiedTime() == modified && props.size() == size;
        }

        @Override
        public String toString() {
            return "Cached[value=<redacted>, modified=" + modified + ", size=" + size + "]";
        }
    }
}
