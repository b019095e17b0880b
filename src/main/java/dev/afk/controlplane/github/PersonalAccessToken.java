package dev.afk.controlplane.github;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A token read from a file (a mounted Secret); re-read after GitHub refuses it, so rotation needs no restart. */
public final class PersonalAccessToken implements GitHubCredentials {

    private final Path file;
    private volatile Uni<String> header;

    public PersonalAccessToken(Path file) {
        this.file = file;
        this.header = load();
    }

    @Override
    public String budget() {
        return "token";
    }

    @Override
    public Uni<String> authorization() {
        return header;
    }

    @Override
    public void rejected() {
        header = load();
    }

    private Uni<String> load() {
        return Uni.createFrom().item(() -> "Bearer " + read(file))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .memoize().indefinitely();
    }

    static String read(Path file) {
        try {
            String value = Files.readString(file).strip();
            if (value.isEmpty()) {
                throw new IllegalStateException("the GitHub credential file " + file + " is empty");
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the GitHub credential file " + file, e);
        }
    }
}
