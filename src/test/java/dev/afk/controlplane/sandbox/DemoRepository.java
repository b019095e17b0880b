package dev.afk.controlplane.sandbox;

import dev.afk.controlplane.fakes.github.FakeGitHub;
import dev.afk.controlplane.fakes.github.FakeRepo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo repository the sandbox starts with: a bare git remote on disk, its twin on the simulated
 * GitHub with three people of different standing, and one issue per thing the walkthrough shows.
 */
final class DemoRepository {

    static final String NAME = "demo/greeter";

    /** Who may do what: a trusted writer, an untrusted triager, and an admin. */
    static final String TRUSTED = "alice";
    static final String UNTRUSTED = "trudy";

    private DemoRepository() {}

    /** Seeds the remote under {@code root} (a fresh directory) and the simulated GitHub; returns the remote. */
    static Path seed(FakeGitHub github, Path root) {
        Path origin = bareRemote(root, NAME);
        FakeRepo repo = github.repo(NAME).collaborator("ada", "admin").collaborator(TRUSTED, "write")
                .collaborator(UNTRUSTED, "triage");
        repo.createIssue("Print a greeting on start", "The service should print `Hello` when it starts.");
        repo.createIssue("Add a --name option", "`greeter --name Ada` prints `Hello, Ada`.");
        repo.createIssue("Greet in the user's language",
                "Which languages, though?\n\nsandbox-agent: asks Which languages should the greeting support? | English only | English and French");
        repo.createIssue("Rewrite the build in Bazel", "sandbox-agent: fails");
        repo.createIssue("Refactor everything", "sandbox-agent: hangs");
        repo.createIssue("Speed up start-up", "Start in under 100 ms.");
        return origin;
    }

    /** A bare git remote for {@code name} under {@code root}, holding one initial commit on {@code main}. */
    static Path bareRemote(Path root, String name) {
        Path origin = root.resolve("git").resolve(name + ".git");
        try {
            Path seed = Files.createTempDirectory(root, "seed");
            Files.createDirectories(origin.getParent());
            Git.run(root, "init", "--quiet", "--bare", "--initial-branch=main", origin.toString());
            Git.run(seed, "init", "--quiet", "--initial-branch=main");
            Files.writeString(seed.resolve("README.md"), "# " + name + "\n\nA demo repository of the afk-control-plane sandbox.\n");
            Git.run(seed, "add", "README.md");
            Git.run(seed, "commit", "--quiet", "-m", "Initial commit");
            Git.run(seed, "push", "--quiet", origin.toString(), "main");
            return origin;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
