package dev.afk.controlplane.workspace.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Bare repositories on local disk, reached through file:// URLs, with a seed clone that pushes commits. */
final class GitRemotes {

    private static final ProcessRunner RUNNER = new ProcessRunner();
    private static final Map<String, String> ENVIRONMENT = Map.of("GIT_TERMINAL_PROMPT", "0", "LC_ALL", "C");

    private final Path base;

    GitRemotes(Path base) {
        this.base = base;
    }

    /** A bare repository with one commit on {@code main}; returns its clone URL. */
    String create(String name) {
        Path seed = seed(name);
        try {
            Files.createDirectories(seed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        git(base, "init", "--quiet", "--bare", "--initial-branch=main", bare(name).toString());
        git(seed, "init", "--quiet", "--initial-branch=main");
        push(name, "README.md", "# " + name + "\n");
        return url(name);
    }

    /** Commits a file on {@code main} and pushes it; returns the new commit. */
    String push(String name, String file, String content) {
        Path seed = seed(name);
        try {
            Files.writeString(seed.resolve(file), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        git(seed, "add", file);
        git(seed, "commit", "--quiet", "-m", "change " + file);
        git(seed, "-c", "protocol.file.allow=always", "push", "--quiet", url(name), "main");
        return head(name);
    }

    String head(String name) {
        return git(bare(name), "rev-parse", "main").strip();
    }

    String url(String name) {
        return "file://" + bare(name).toAbsolutePath();
    }

    private Path bare(String name) {
        return base.resolve(name + ".git");
    }

    private Path seed(String name) {
        return base.resolve(name + "-seed");
    }

    /** Runs git with a fixed identity; fails the test on any error. */
    static String git(Path directory, String... arguments) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=AFK Tests", "-c", "user.email=afk-tests@example.org"));
        command.addAll(List.of(arguments));
        ProcessRunner.Outcome outcome = RUNNER.run(command, directory, ENVIRONMENT, Duration.ofSeconds(60));
        if (!outcome.succeeded()) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + outcome.stderr());
        }
        return outcome.stdout();
    }
}
