package dev.afk.controlplane.github;

import dev.afk.controlplane.common.SecretFile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.nio.file.Path;

/** A token read from a file (a mounted Secret); re-read after GitHub refuses it, so rotation needs no restart. */
public final class PersonalAccessToken implements GitHubCredentials {

    private final Vertx vertx;
    private final Path file;
    private volatile Uni<String> header;

    public PersonalAccessToken(Vertx vertx, Path file) {
        this.vertx = vertx;
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

    /** Read once and kept until GitHub refuses it. */
    private Uni<String> load() {
        return SecretFile.read(vertx, file)
                .onFailure().transform(e -> new GitHubUnavailable(0, "cannot read the GitHub credential file " + file))
                .map(token -> "Bearer " + token.orElseThrow(() -> new GitHubUnavailable(0, "the GitHub credential file " + file + " is empty")))
                .memoize().indefinitely();
    }
}
