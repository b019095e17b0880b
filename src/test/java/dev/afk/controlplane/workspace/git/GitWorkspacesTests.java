package dev.afk.controlplane.workspace.git;

import static dev.afk.controlplane.workspace.git.GitRemotes.git;
import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.support.TestClock;
import dev.afk.controlplane.workspace.Workspaces.Request;
import dev.afk.controlplane.workspace.Workspaces.Worktree;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The adapter against real git and local bare repositories: clone, reuse, fetch, release. */
class GitWorkspacesTests {

    private static final RepoSlug APP = new RepoSlug("acme", "app");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private GitRemotes remotes;
    private Path root;
    private GitWorkspaces workspaces;

    @BeforeEach
    void setUp() {
        remotes = new GitRemotes(temp.resolve("remotes"));
        root = temp.resolve("volume");
        workspaces = new GitWorkspaces(TestSettings.under(root), new TestClock(), new SimpleMeterRegistry(),
                executor, new ProcessRunner());
        remotes.create("app");
    }

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
    }

    @Test
    void firstUseClonesTheCheckoutAndAddsTheRunWorktreeOnItsOwnBranch() {
        Worktree worktree = prepare("0f3c9a7e-1111-2222-3333-444455556666", 7);

        Path checkout = root.resolve("acme__app");
        assertThat(workspaces.checkoutPath(APP)).isEqualTo(checkout.toString());
        assertThat(checkout.resolve(".git")).isDirectory();
        assertThat(worktree.path()).isEqualTo(root.resolve("worktrees/acme__app/run-0f3c9a7e-1111-2222-3333-444455556666").toString());
        assertThat(worktree.branch()).isEqualTo("afk/7-0f3c9a7e");
        assertThat(worktree.baseSha()).isEqualTo(remotes.head("app"));
        assertThat(Path.of(worktree.path()).resolve("README.md")).hasContent("# app");
        assertThat(git(Path.of(worktree.path()), "rev-parse", "--abbrev-ref", "HEAD").strip()).isEqualTo("afk/7-0f3c9a7e");
        assertThat(git(checkout, "config", "--list", "--local"))
                .as("no upstream: the agent pushes to the default branch explicitly").doesNotContain("branch.afk/");
    }

    @Test
    void laterRunsReuseTheCheckoutAndStartFromTheFreshlyFetchedDefaultBranch() throws Exception {
        prepare("run-one", 1);
        Path marker = root.resolve("acme__app/.git/kept-across-runs");
        Files.writeString(marker, "warm caches live here");
        workspaces.release(APP, "run-one", false).await().atMost(WAIT);

        String newer = remotes.push("app", "feature.txt", "new work");
        Worktree second = prepare("run-two", 2);

        assertThat(marker).as("the checkout was reused, not cloned again").exists();
        assertThat(second.baseSha()).isEqualTo(newer);
        assertThat(Path.of(second.path()).resolve("feature.txt")).hasContent("new work");
    }

    @Test
    void preparingTheSameRunAgainReturnsTheSameWorktree() throws Exception {
        Worktree first = prepare("run-again", 3);
        Files.writeString(Path.of(first.path()).resolve("agent-notes.txt"), "work in progress");
        remotes.push("app", "later.txt", "after the run started");

        Worktree again = prepare("run-again", 3);

        assertThat(again).isEqualTo(first);
        assertThat(Path.of(again.path()).resolve("agent-notes.txt")).exists();
    }

    @Test
    void releaseRemovesTheWorktreeAndItsBranch() {
        Worktree worktree = prepare("run-done", 4);

        workspaces.release(APP, "run-done", false).await().atMost(WAIT);

        assertThat(Path.of(worktree.path())).doesNotExist();
        Path checkout = root.resolve("acme__app");
        assertThat(git(checkout, "branch", "--list", "afk/*")).isBlank();
        assertThat(git(checkout, "worktree", "list", "--porcelain")).doesNotContain("run-done");
        workspaces.release(APP, "run-done", false).await().atMost(WAIT);
        workspaces.release(APP, "never-prepared", false).await().atMost(WAIT);
    }

    @Test
    void releaseKeepsAFrozenRunsWorktreeForForensics() throws Exception {
        Worktree worktree = prepare("run-frozen", 5);
        Files.writeString(Path.of(worktree.path()).resolve("evidence.log"), "what the agent saw");

        workspaces.release(APP, "run-frozen", true).await().atMost(WAIT);

        assertThat(Path.of(worktree.path()).resolve("evidence.log")).exists();
        assertThat(git(root.resolve("acme__app"), "branch", "--list", "afk/*")).contains("afk/5-runfroze");
    }

    @Test
    void releaseCleansUpAWorktreeWhoseDirectoryWasDeletedByHand() throws Exception {
        Worktree worktree = prepare("run-gone", 6);
        new WorkspaceLayout(root).deleteTree(Path.of(worktree.path()));

        workspaces.release(APP, "run-gone", false).await().atMost(WAIT);

        Path checkout = root.resolve("acme__app");
        assertThat(git(checkout, "worktree", "list", "--porcelain")).doesNotContain("run-gone");
        assertThat(git(checkout, "branch", "--list", "afk/*")).isBlank();
    }

    private Worktree prepare(String runId, int issue) {
        return workspaces.prepare(new Request(APP, remotes.url("app"), "main", runId, issue)).await().atMost(WAIT);
    }
}
