package dev.afk.controlplane.afk.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.afk.fakes.FakeExecutor;
import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.common.RepoSlug;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Two pipeline instances (two concurrent poll + reconcile loops with different lease owners) race
 * over one database and 200 ready issues. The database alone keeps it exactly once.
 */
@QuarkusTest
class ExactlyOnceTests extends PipelineScenario {

    static final int REPOS = 40;
    static final int ISSUES_PER_REPO = 5;

    @Inject
    Pool pool;

    @Test
    void twoInstancesNeverDispatchAnIssueTwice() throws Exception {
        String prefix = "twin" + System.nanoTime() % 100000;
        List<RepoSlug> repos = new ArrayList<>();
        for (int r = 0; r < REPOS; r++) {
            RepoSlug repo = enroll(prefix);
            repos.add(repo);
            ci.defaultFor(repo, Outcome.GREEN);
            // The agent pushes and stops as soon as it gets the work.
            executor.onStart(repo, thread -> {
                tracker.pushForRun(repo, "sha-" + thread.runId(), thread.runId(), issueOf(thread));
                thread.finish();
            });
            for (int i = 1; i <= ISSUES_PER_REPO; i++) {
                readyIssue(repo, i);
            }
        }

        AtomicBoolean finished = new AtomicBoolean();
        Map<String, AtomicInteger> queued = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> reconciled = new ConcurrentHashMap<>();
        ExecutorService instancePool = Executors.newFixedThreadPool(2);
        List<CompletableFuture<Void>> instances = List.of("instance-a", "instance-b").stream()
                .map(owner -> CompletableFuture.runAsync(() -> {
                    while (!finished.get()) {
                        int q = await(() -> poller.tick()).size();
                        int r = await(() -> reconciler.tick(owner));
                        queued.computeIfAbsent(owner, o -> new AtomicInteger()).addAndGet(q);
                        reconciled.computeIfAbsent(owner, o -> new AtomicInteger()).addAndGet(r);
                        finished.compareAndSet(false, allClosed(repos));
                    }
                }, instancePool))
                .toList();
        try {
            CompletableFuture.allOf(instances.toArray(CompletableFuture[]::new)).get(8, TimeUnit.MINUTES);
        } finally {
            instancePool.shutdownNow();
        }
        System.out.printf("exactly-once race: queued %s, reconciled %s%n", queued, reconciled);
        // Both instances did real work: they raced, rather than one idling.
        assertThat(queued.values()).extracting(AtomicInteger::get).allSatisfy(n -> assertThat(n).isPositive());
        assertThat(reconciled.values()).extracting(AtomicInteger::get).allSatisfy(n -> assertThat(n).isPositive());
        assertThat(queued.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(REPOS * ISSUES_PER_REPO);

        List<Row> perIssue = new ArrayList<>();
        await(() -> pool.preparedQuery("""
                        select repo, issue, count(*) as runs, count(*) filter (where state = 'DONE') as done
                        from afk_run where repo like $1 group by repo, issue""")
                .execute(Tuple.of("scenario/" + prefix + "-%"))).forEach(perIssue::add);
        assertThat(perIssue).hasSize(REPOS * ISSUES_PER_REPO);
        assertThat(perIssue).allSatisfy(row -> {
            assertThat(row.getInteger("runs")).as("runs of %s#%s", row.getString("repo"), row.getInteger("issue")).isEqualTo(1);
            assertThat(row.getInteger("done")).isEqualTo(1);
        });

        List<FakeExecutor.Thread> threads = repos.stream().flatMap(r -> executor.threads(r).stream()).toList();
        assertThat(threads).hasSize(REPOS * ISSUES_PER_REPO);
        assertThat(threads.stream().map(t -> t.repo() + "#" + issueOf(t)).distinct()).hasSize(REPOS * ISSUES_PER_REPO);
        for (RepoSlug repo : repos) {
            for (int i = 1; i <= ISSUES_PER_REPO; i++) {
                assertThat(tracker.existing(repo, i).closedByPipeline()).isEqualTo(1);
                assertThat(tracker.existing(repo, i).comments()).hasSize(1);
            }
        }
    }

    private boolean allClosed(List<RepoSlug> repos) {
        return repos.stream().allMatch(repo -> {
            for (int i = 1; i <= ISSUES_PER_REPO; i++) {
                if (tracker.existing(repo, i).isOpen()) {
                    return false;
                }
            }
            return true;
        });
    }
}
