package dev.afk.controlplane.workspace.git;

import static dev.afk.controlplane.workspace.git.GitRemotes.git;
import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.support.TestClock;
import dev.afk.controlplane.workspace.Workspaces.Housekeeping;
import dev.afk.controlplane.workspace.Workspaces.Request;
import dev.afk.controlplane.workspace.Workspaces.Worktree;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Orphaned worktrees, prune, and eviction of least-recently-used checkouts past the disk budget. */
class GitWorkspacesHousekeepingTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final TestClock clock = new TestClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private GitRemotes remotes;
    private Path root;

    @BeforeEach
    void setUp() {
        remotes = new GitRemotes(temp.resolve("remotes"));
        root = temp.resolve("volume");
        for (String name : new String[] {"app", "api", "web"}) {
            remotes.create(name);
        }
    }

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
    }

    @Test
    void worktreesNoLiveRunOwnsAreRemovedOnceOlderThanTheGracePeriod() {
        GitWorkspaces workspaces = workspaces(Long.MAX_VALUE);
        Worktree live = prepare(workspaces, "app", "run-live");
        Worktree orphan = prepare(workspaces, "app", "run-orphan");

        Housekeeping young = workspaces.housekeep(Set.of("run-live")).await().atMost(WAIT);
        assertThat(young.worktreesRemoved()).as("a run being created may not be live yet").isZero();
        assertThat(Path.of(orphan.path())).exists();

        clock.advance(Duration.ofHours(1));
        Housekeeping later = workspaces.housekeep(Set.of("run-live")).await().atMost(WAIT);

        assertThat(later.worktreesRemoved()).isEqualTo(1);
        assertThat(Path.of(orphan.path())).doesNotExist();
        assertThat(Path.of(live.path())).exists();
        assertThat(git(root.resolve("acme__app"), "for-each-ref", "--format=%(refname:short)", "refs/heads/afk/").strip()).isEqualTo("afk/1-runlive");
        assertThat(registry.get("afk.workspaces.orphans.removed").counter().count()).isEqualTo(1);
    }

    @Test
    void pruneForgetsWorktreesWhoseDirectoriesVanished() {
        GitWorkspaces workspaces = workspaces(Long.MAX_VALUE);
        Worktree worktree = prepare(workspaces, "app", "run-vanished");
        new WorkspaceLayout(root).deleteTree(Path.of(worktree.path()));

        workspaces.housekeep(Set.of("run-vanished")).await().atMost(WAIT);

        assertThat(git(root.resolve("acme__app"), "worktree", "list", "--porcelain")).doesNotContain("run-vanished");
    }

    @Test
    void evictionSparesEveryCheckoutWithALiveWorktree() {
        GitWorkspaces workspaces = workspaces(1);
        Worktree live = prepare(workspaces, "app", "run-app");
        prepare(workspaces, "api", "run-api");
        prepare(workspaces, "web", "run-web");
        release(workspaces, "api", "run-api");
        release(workspaces, "web", "run-web");

        Housekeeping result = workspaces.housekeep(Set.of("run-app")).await().atMost(WAIT);

        assertThat(result.checkoutsEvicted()).isEqualTo(2);
        assertThat(root.resolve("acme__api")).doesNotExist();
        assertThat(root.resolve("acme__web")).doesNotExist();
        assertThat(root.resolve("acme__app/.git")).isDirectory();
        assertThat(Path.of(live.path()).resolve("README.md")).exists();
        assertThat(result.bytesUsed()).isPositive();
        assertThat(registry.get("afk.workspaces.evictions").counter().count()).isEqualTo(2);
        assertThat(registry.get("afk.workspaces.disk.used").gauge().value()).isEqualTo(result.bytesUsed());
    }

    @Test
    void evictionTakesTheLeastRecentlyUsedCheckoutFirstAndStopsWithinBudget() {
        GitWorkspaces measuring = workspaces(Long.MAX_VALUE);
        prepare(measuring, "web", "run-web");
        clock.advance(Duration.ofMinutes(1));
        prepare(measuring, "api", "run-api");
        release(measuring, "web", "run-web");
        release(measuring, "api", "run-api");
        long used = measuring.housekeep(Set.of()).await().atMost(WAIT).bytesUsed();

        Housekeeping result = workspaces(used - 1).housekeep(Set.of()).await().atMost(WAIT);

        assertThat(result.checkoutsEvicted()).isEqualTo(1);
        assertThat(root.resolve("acme__web")).as("used longest ago").doesNotExist();
        assertThat(root.resolve("acme__api/.git")).isDirectory();
    }

    @Test
    void untilThePipelineSaysOtherwiseEveryWorktreeOnDiskIsLive() {
        GitWorkspaces workspaces = workspaces(1);
        prepare(workspaces, "app", "run-one");
        prepare(workspaces, "api", "run-two");
        Set<String> live = new WorktreesOnDiskAreLive(TestSettings.under(root)).liveRunIds().await().atMost(WAIT);
        clock.advance(Duration.ofHours(1));

        Housekeeping result = workspaces.housekeep(live).await().atMost(WAIT);

        assertThat(live).containsExactlyInAnyOrder("run-one", "run-two");
        assertThat(result.worktreesRemoved()).isZero();
        assertThat(result.checkoutsEvicted()).isZero();
    }

    private GitWorkspaces workspaces(long budgetBytes) {
        return new GitWorkspaces(TestSettings.under(root).withBudget(budgetBytes), clock, registry, executor, new ProcessRunner());
    }

    private Worktree prepare(GitWorkspaces workspaces, String name, String runId) {
        return workspaces.prepare(new Request(new RepoSlug("acme", name), remotes.url(name), "main", runId, 1)).await().atMost(WAIT);
    }

    private void release(GitWorkspaces workspaces, String name, String runId) {
        workspaces.release(new RepoSlug("acme", name), runId, false).await().atMost(WAIT);
    }
}
