package dev.afk.controlplane.executor.t3;

import static dev.afk.controlplane.executor.t3.T3TestSupport.REPO;
import static dev.afk.controlplane.executor.t3.T3TestSupport.await;
import static dev.afk.controlplane.executor.t3.T3TestSupport.id;
import static dev.afk.controlplane.executor.t3.T3TestSupport.work;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.afk.controlplane.executor.Executor.StartWork;
import dev.afk.controlplane.executor.Executor.ThreadStatus;
import dev.afk.controlplane.executor.ExecutorException;
import dev.afk.controlplane.fakes.t3.AgentScript;
import dev.afk.controlplane.fakes.t3.FakeT3Resource;
import dev.afk.controlplane.fakes.t3.FakeT3Server;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Token rotation, retries with the same commandId, version fallback, timeouts and the circuit breaker. */
@QuarkusTest
class T3ResilienceTests {

    @Inject
    T3Executor executor;

    @Inject
    T3Reader reader;

    @Inject
    CircuitBreakerMaintenance breakers;

    @Inject
    MeterRegistry registry;

    @Inject
    Vertx vertx;

    @AfterEach
    void healthyAgain() {
        T3TestSupport.fresh("0.0.32", reader, breakers);
    }

    private StartWork started(FakeT3Server t3) {
        StartWork work = work(await(executor.ensureProject(REPO, "/data/repos/acme/widgets")));
        t3.onTurnStart(work.threadId(), AgentScript.complete());
        await(executor.startWork(work));
        return work;
    }

    @Test
    void aRotatedTokenFileIsReadBeforeTheNextCall() throws Exception {
        FakeT3Server t3 = T3TestSupport.fresh("0.0.32", reader, breakers);
        StartWork work = started(t3);
        String old = t3.adminToken();
        String rotated = t3.issueToken(FakeT3Server.ADMIN_SCOPES.toArray(String[]::new));
        FakeT3Resource.writeToken(rotated);
        Files.setLastModifiedTime(FakeT3Resource.tokenFile(),
                FileTime.fromMillis(Files.getLastModifiedTime(FakeT3Resource.tokenFile()).toMillis() + 2_000));
        t3.revoke(old);

        assertThat(await(executor.observe(List.of(work.threadId()))).get(work.threadId()).status())
                .isEqualTo(ThreadStatus.IDLE_COMPLETED);
        assertThat(t3.unauthorisedCount()).isZero();
    }

    @Test
    void a401MakesTheAdapterReReadTheTokenOnce() throws Exception {
        FakeT3Server t3 = T3TestSupport.fresh("0.0.32", reader, breakers);
        StartWork work = started(t3);
        // Same size, same modification time: only a 401 reveals the change.
        FileTime before = Files.getLastModifiedTime(FakeT3Resource.tokenFile());
        String rotated = t3.issueToken(FakeT3Server.ADMIN_SCOPES.toArray(String[]::new));
        FakeT3Resource.writeToken(rotated);
        Files.setLastModifiedTime(FakeT3Resource.tokenFile(), before);
        t3.revoke(t3.adminToken());

        await(executor.sendMessage(work.threadId(), id("turn"), id("msg"), "again"));
        assertThat(t3.unauthorisedCount()).isEqualTo(1);

        t3.revoke(rotated);
        assertThatThrownBy(() -> await(executor.sendMessage(work.threadId(), id("turn"), id("msg"), "again")))
                .isInstanceOfSatisfying(ExecutorException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ExecutorException.Reason.UNAUTHORISED);
                    assertThat(e.getMessage()).doesNotContain(rotated);
                });
    }

    @Test
    void aLostAnswerIsRetriedWithTheSameCommandIdAndExecutedOnce() {
        FakeT3Server t3 = T3TestSupport.fresh("0.0.32", reader, breakers);
        StartWork work = started(t3);
        String commandId = id("turn");
        t3.dropResponses(2);

        await(executor.sendMessage(work.threadId(), commandId, id("msg"), "fix it forward"));

        assertThat(t3.received(commandId)).isEqualTo(3);
        assertThat(t3.executed(commandId)).isEqualTo(1);
    }

    @Test
    void aStartingT3Is5xxForAWhileAndRetriesRideItOut() {
        FakeT3Server t3 = T3TestSupport.fresh("0.0.32", reader, breakers);
        t3.failNext(2, 503, "engine_not_ready");
        String projectId = await(executor.ensureProject(REPO, "/data/repos/acme/widgets"));
        assertThat(projectId).isEqualTo(T3Executor.projectId(REPO));
        assertThat(t3.dispatched()).singleElement()
                .satisfies(c -> assertThat(t3.executed(c.path("commandId").asText())).isEqualTo(1));
    }

    @Test
    void anOldServerIsReadThroughTheSnapshotDetectedByContentType() {
        FakeT3Server t3 = T3TestSupport.fresh("0.0.27", reader, breakers);
        StartWork work = started(t3);
        for (int tick = 0; tick < 2; tick++) {
            assertThat(await(executor.observe(List.of(work.threadId()))).get(work.threadId()).status())
                    .isEqualTo(ThreadStatus.IDLE_COMPLETED);
        }
        // 0.0.27 answered /shell with its web UI (HTML, 200) once; from then on only /snapshot.
        assertThat(t3.requests().stream().filter(r -> r.equals("GET /api/orchestration/shell")).count()).isEqualTo(1);
        assertThat(t3.requests().stream().filter(r -> r.equals("GET /api/orchestration/snapshot")).count())
                .as("ensureProject's read and two observations").isEqualTo(3);
        assertThat(reader.path()).isEqualTo(T3Reader.ReadPath.SNAPSHOT);
    }

    @Test
    void aNewServerIsReadThroughShellAndThreads() {
        FakeT3Server t3 = T3TestSupport.fresh("0.0.32", reader, breakers);
        StartWork work = started(t3);
        assertThat(await(executor.observe(List.of(work.threadId()))).get(work.threadId()).status())
                .isEqualTo(ThreadStatus.IDLE_COMPLETED);
        assertThat(reader.path()).isEqualTo(T3Reader.ReadPath.SHELL);
        assertThat(t3.requests()).contains("GET /api/orchestration/shell", "GET /api/orchestration/threads/" + work.threadId())
                .doesNotContain("GET /api/orchestration/snapshot");
    }

    @Test
    void observingAThreadReadsThatThreadAloneHoweverLongT3sHistory() {
        FakeT3Server t3 = T3TestSupport.fresh("0.0.32", reader, breakers);
        StartWork work = started(t3);
        for (int i = 0; i < 30; i++) {
            started(t3);
        }
        int before = t3.requests().size();

        assertThat(await(executor.observe(List.of(work.threadId(), "no-such-thread"))))
                .containsOnlyKeys(work.threadId(), "no-such-thread")
                .satisfies(observed -> assertThat(observed.get(work.threadId()).status()).isEqualTo(ThreadStatus.IDLE_COMPLETED));

        // Not the shell: it lists every thread T3 ever ran, and a reconcile would read it per run.
        assertThat(t3.requests().subList(before, t3.requests().size())).containsExactlyInAnyOrder(
                "GET /api/orchestration/threads/" + work.threadId(), "GET /api/orchestration/threads/no-such-thread");
    }

    @Test
    void aHangingServerTimesOutWithoutBlockingTheEventLoop() {
        FakeT3Server t3 = T3TestSupport.fresh("0.0.32", reader, breakers);
        StartWork work = started(t3);
        t3.hang();

        Context context = vertx.getOrCreateContext();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        AtomicBoolean eventLoopFree = new AtomicBoolean();
        context.runOnContext(ignored -> {
            executor.observe(List.of(work.threadId())).subscribe().with(
                    item -> outcome.complete(null), outcome::complete);
            // Still on the same event loop: a task queued behind the call runs while T3 hangs.
            context.runOnContext(next -> eventLoopFree.set(true));
        });

        await().atMost(Duration.ofSeconds(2)).untilTrue(eventLoopFree);
        await().atMost(Duration.ofSeconds(30)).until(outcome::isDone);
        assertThat(outcome.join()).isInstanceOfSatisfying(ExecutorException.class, e -> {
            assertThat(e.reason()).isEqualTo(ExecutorException.Reason.UNAVAILABLE);
            assertThat(e.retryable()).isTrue();
        });
        assertThat(registry.counter("afk.executor.t3.calls", "operation", "read.thread", "outcome", "unavailable").count())
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void theBreakerOpensWhenT3KeepsFailingAndThenCallsFailFast() {
        FakeT3Server t3 = T3TestSupport.fresh("0.0.32", reader, breakers);
        t3.failNext(1_000, 503, "engine_not_ready");
        for (int i = 0; i < 3 && breakers.currentState(T3Http.BREAKER) != CircuitBreakerState.OPEN; i++) {
            assertThatThrownBy(() -> await(executor.observe(List.of("t")))).isInstanceOf(ExecutorException.class);
        }
        assertThat(breakers.currentState(T3Http.BREAKER)).isEqualTo(CircuitBreakerState.OPEN);
        assertThat(registry.get("afk.executor.t3.breaker.state").gauge().value()).isEqualTo(2.0);

        int before = t3.requests().size();
        assertThatThrownBy(() -> await(executor.observe(List.of("t"))))
                .isInstanceOfSatisfying(ExecutorException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ExecutorException.Reason.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("circuit breaker open");
                });
        assertThat(t3.requests()).hasSize(before);
    }
}
