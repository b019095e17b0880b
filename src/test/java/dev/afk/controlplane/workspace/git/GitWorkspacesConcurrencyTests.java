package dev.afk.controlplane.workspace.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.support.TestClock;
import dev.afk.controlplane.workspace.Workspaces.Request;
import dev.afk.controlplane.workspace.Workspaces.Worktree;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Serial within a repository (in this JVM and across replicas), parallel across repositories. */
class GitWorkspacesConcurrencyTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ObservingRunner runner = new ObservingRunner();
    private GitRemotes remotes;
    private Path root;
    private GitWorkspaces workspaces;

    @BeforeEach
    void setUp() {
        remotes = new GitRemotes(temp.resolve("remotes"));
        root = temp.resolve("volume");
        workspaces = new GitWorkspaces(TestSettings.under(root), new TestClock(), registry, executor, runner);
        remotes.create("app");
        remotes.create("api");
    }

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
    }

    @Test
    void runsInTwoRepositoriesFetchAtTheSameTime() {
        // Each fetch waits for the other one: if the repositories were serialised, the barrier would break.
        CyclicBarrier bothFetching = new CyclicBarrier(2);
        runner.onFetch = directory -> bothFetching.await(30, TimeUnit.SECONDS);

        CompletableFuture<Worktree> app = prepare("app", "run-app").subscribeAsCompletionStage();
        CompletableFuture<Worktree> api = prepare("api", "run-api").subscribeAsCompletionStage();

        assertThat(app).succeedsWithin(WAIT);
        assertThat(api).succeedsWithin(WAIT);
        assertThat(runner.mostAtOnce.get(root.resolve("acme__app"))).isEqualTo(1);
    }

    @Test
    void aSecondRunInTheSameRepositoryWaitsForTheFirstToFinish() {
        CountDownLatch firstFetching = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        runner.onFetch = directory -> {
            if (firstFetching.getCount() > 0) {
                firstFetching.countDown();
                releaseFirst.await(30, TimeUnit.SECONDS);
            }
        };

        CompletableFuture<Worktree> first = prepare("app", "run-first").subscribeAsCompletionStage();
        await().atMost(WAIT).until(() -> firstFetching.getCount() == 0);
        CompletableFuture<Worktree> second = prepare("app", "run-second").subscribeAsCompletionStage();
        await().atMost(WAIT).until(() -> registry.get("afk.workspaces.operations.pending").gauge().value() == 2);

        assertThat(second).isNotDone();
        assertThat(root.resolve("worktrees/acme__app/run-run-second")).doesNotExist();
        releaseFirst.countDown();

        assertThat(first).succeedsWithin(WAIT);
        assertThat(second).succeedsWithin(WAIT);
        assertThat(runner.mostAtOnce.get(root.resolve("acme__app"))).as("git commands in one checkout never overlap").isEqualTo(1);
        await().atMost(WAIT).until(() -> registry.get("afk.workspaces.operations.pending").gauge().value() == 0);
    }

    @Test
    void anotherProcessHoldingACheckoutsLockHoldsUpThatRepositoryOnly() throws Exception {
        assumeTrue(runsHere("python3"), "python3 takes the POSIX lock a second replica would take");
        Path lockFile = Files.createDirectories(root.resolve(".locks")).resolve("acme__app.lock");
        Process otherReplica = new ProcessBuilder("python3", "-c",
                "import fcntl, sys; f = open(sys.argv[1], 'w'); fcntl.lockf(f, fcntl.LOCK_EX); print('locked', flush=True); sys.stdin.read()",
                lockFile.toString()).redirectErrorStream(true).start();
        try {
            assertThat(new BufferedReader(new InputStreamReader(otherReplica.getInputStream())).readLine()).isEqualTo("locked");

            CompletableFuture<Worktree> app = prepare("app", "run-app").subscribeAsCompletionStage();
            CompletableFuture<Worktree> api = prepare("api", "run-api").subscribeAsCompletionStage();

            assertThat(api).succeedsWithin(WAIT);
            assertThat(app).isNotDone();
            assertThat(root.resolve("acme__app")).doesNotExist();
            otherReplica.getOutputStream().close();
            assertThat(app).succeedsWithin(WAIT);
        } finally {
            otherReplica.destroyForcibly();
        }
    }

    private static boolean runsHere(String program) {
        try {
            return new ProcessBuilder(program, "--version").start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private io.smallrye.mutiny.Uni<Worktree> prepare(String name, String runId) {
        return workspaces.prepare(new Request(new RepoSlug("acme", name), remotes.url(name), "main", runId, 1));
    }

    interface FetchHook {
        void reached(Path directory) throws Exception;
    }

    /** Counts git commands running at once per directory and lets a test stop inside {@code fetch}. */
    private static final class ObservingRunner extends ProcessRunner {

        final Map<Path, Integer> mostAtOnce = new ConcurrentHashMap<>();
        private final Map<Path, AtomicInteger> running = new ConcurrentHashMap<>();
        volatile FetchHook onFetch = directory -> { };

        @Override
        Outcome run(List<String> command, Path directory, Map<String, String> environment, Duration timeout) {
            AtomicInteger now = running.computeIfAbsent(directory, d -> new AtomicInteger());
            mostAtOnce.merge(directory, now.incrementAndGet(), Math::max);
            try {
                if (command.contains("fetch")) {
                    onFetch.reached(directory);
                }
                return super.run(command, directory, environment, timeout);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                now.decrementAndGet();
            }
        }
    }
}
