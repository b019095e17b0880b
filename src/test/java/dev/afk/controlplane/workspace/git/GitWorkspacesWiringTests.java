package dev.afk.controlplane.workspace.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.workspace.WorkspaceHousekeeping;
import dev.afk.controlplane.workspace.Workspaces;
import dev.afk.controlplane.workspace.Workspaces.Request;
import dev.afk.controlplane.workspace.Workspaces.Worktree;
import dev.afk.controlplane.workspace.WorkspacesConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.vertx.core.Context;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The adapter as the application wires it: configuration, worker pool, metrics, housekeeping. */
@QuarkusTest
class GitWorkspacesWiringTests {

    private static final RepoSlug REPO = new RepoSlug("acme", "wiring");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    GitWorkspaces workspaces;

    @Inject
    WorkspacesConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    WorkspaceHousekeeping housekeeping;

    private GitRemotes remotes;

    @BeforeEach
    void createRemote() throws IOException {
        remotes = new GitRemotes(Files.createTempDirectory("afk-remotes"));
        remotes.create("wiring");
    }

    @Test
    @RunOnVertxContext
    void resultsComeBackOnTheCallersVertxContext(UniAsserter asserter) {
        String runId = UUID.randomUUID().toString();
        asserter.assertThat(
                () -> workspaces.prepare(new Request(REPO, remotes.url("wiring"), "main", runId, 12))
                        .map(worktree -> Context.isOnEventLoopThread())
                        .call(onContext -> workspaces.release(REPO, runId, false)),
                onContext -> assertThat(onContext).as("back on the event loop, ready for reactive database work").isTrue());
    }

    @Test
    void preparesAndReleasesUnderTheConfiguredRootAndHousekeepsWithTheApplicationsLiveRuns() {
        Path root = Path.of(config.root()).toAbsolutePath().normalize();
        String runId = UUID.randomUUID().toString();

        Worktree worktree = workspaces.prepare(new Request(REPO, remotes.url("wiring"), "main", runId, 11)).await().atMost(WAIT);
        Workspaces.Housekeeping result = housekeeping.runNow().await().atMost(WAIT);

        assertThat(workspaces.checkoutPath(REPO)).isEqualTo(root.resolve("acme__wiring").toString());
        assertThat(Path.of(worktree.path())).startsWith(root.resolve("worktrees/acme__wiring")).isDirectory();
        assertThat(worktree.baseSha()).isEqualTo(remotes.head("wiring"));
        assertThat(result.checkoutsEvicted()).isZero();
        assertThat(Path.of(worktree.path())).as("a young worktree is never an orphan").isDirectory();
        assertThat(registry.find("afk.workspaces.disk.used").gauge()).isNotNull();
        assertThat(registry.find("afk.workspaces.evictions").counter()).isNotNull();

        workspaces.release(REPO, runId, false).await().atMost(WAIT);
        assertThat(Path.of(worktree.path())).doesNotExist();
    }
}
