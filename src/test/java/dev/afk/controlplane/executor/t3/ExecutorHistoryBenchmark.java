package dev.afk.controlplane.executor.t3;

import static dev.afk.controlplane.executor.t3.T3TestSupport.REPO;
import static dev.afk.controlplane.executor.t3.T3TestSupport.await;
import static dev.afk.controlplane.executor.t3.T3TestSupport.work;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.afk.controlplane.executor.Executor.StartWork;
import dev.afk.controlplane.executor.Executor.ThreadStatus;
import dev.afk.controlplane.fakes.t3.AgentScript;
import dev.afk.controlplane.fakes.t3.FakeT3Server;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What one reconcile pass costs on the executor's side as T3's history grows from 10 to 1,000
 * threads, {@link #ACTIVE} of them still working. A pass observes each due run's thread in turn, as
 * the Reconciler does, through the real adapter against the stateful fake T3; the fake counts the
 * bytes it sends. Three readers side by side, interleaved tick by tick, in one run:
 * <ul>
 * <li>the adapter on a 0.0.32 server (each thread read by its id);</li>
 * <li>the shell listing plus the thread per run, which the adapter read before (the reference);</li>
 * <li>the adapter on a 0.0.27 server, which has nothing but the whole snapshot.</li>
 * </ul>
 * Not part of the test suite (run bench/executor-history/run.sh).
 */
@QuarkusTest
class ExecutorHistoryBenchmark {

    private static final int ACTIVE = 5;
    private static final int[] HISTORY = {10, 100, 1_000};
    private static final int WARM_UP = 30;
    private static final int TICKS = Integer.getInteger("bench.ticks", 30);

    @Inject
    T3Executor executor;

    @Inject
    T3Reader reader;

    @Inject
    T3Http http;

    @Inject
    CircuitBreakerMaintenance breakers;

    @Inject
    ObjectMapper mapper;

    private FakeT3Server t3;

    /** One reader's pass: requests, bytes and nanoseconds per tick. */
    private record Sample(List<Integer> requests, List<Long> bytes, List<Long> nanos) {
        Sample() {
            this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }

        long medianBytes() {
            return bytes.stream().sorted().toList().get(bytes.size() / 2);
        }

        int medianRequests() {
            return requests.stream().sorted().toList().get(requests.size() / 2);
        }

        double medianMillis() {
            long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            return sorted[sorted.length / 2] / 1e6;
        }
    }

    private enum Design {
        BY_ID("adapter, T3 0.0.32: each thread by its id"),
        SHELL("before: shell listing + thread, per run"),
        SNAPSHOT("adapter, T3 0.0.27: whole snapshot, per run");

        final String label;

        Design(String label) {
            this.label = label;
        }
    }

    @Test
    void readCostPerReconcile() throws IOException {
        t3 = T3TestSupport.fresh("0.0.32", reader, breakers);
        String projectId = await(executor.ensureProject(REPO, "/data/repos/acme/widgets"));
        List<String> active = new ArrayList<>();
        for (int i = 0; i < ACTIVE; i++) {
            StartWork work = work(projectId);
            t3.onTurnStart(work.threadId(), AgentScript.neverFinish());
            await(executor.startWork(work));
            active.add(work.threadId());
        }
        Map<Integer, Map<Design, Sample>> results = new LinkedHashMap<>();
        int threads = ACTIVE;
        for (int history : HISTORY) {
            // Finished threads: one completed turn each (a prompt, an answer, the agent's activities).
            for (; threads < history; threads++) {
                StartWork work = work(projectId);
                t3.onTurnStart(work.threadId(), AgentScript.complete());
                await(executor.startWork(work));
            }
            Map<Design, Sample> samples = new LinkedHashMap<>();
            Arrays.stream(Design.values()).forEach(d -> samples.put(d, new Sample()));
            for (int tick = -WARM_UP; tick < TICKS; tick++) {
                for (Design design : Design.values()) {
                    measure(design, active, tick < 0 ? null : samples.get(design));
                }
            }
            results.put(history, samples);
            System.err.printf("executor-history: %d threads measured%n", history);
        }
        write(results);
    }

    private void measure(Design design, List<String> active, Sample sample) {
        t3.version(design == Design.SNAPSHOT ? "0.0.27" : "0.0.32");
        reader.serverVersion(T3Version.parse(t3.version()));
        int requests = t3.requests().size();
        long bytes = t3.bytesSent();
        long start = System.nanoTime();
        for (String threadId : active) {
            ThreadStatus status = await(design == Design.SHELL ? shellThenThread(threadId) : observe(threadId));
            if (status != ThreadStatus.RUNNING) {
                throw new AssertionError(design + " saw " + threadId + " " + status);
            }
        }
        long nanos = System.nanoTime() - start;
        if (sample != null) {
            sample.requests().add(t3.requests().size() - requests);
            sample.bytes().add(t3.bytesSent() - bytes);
            sample.nanos().add(nanos);
        }
    }

    private Uni<ThreadStatus> observe(String threadId) {
        return executor.observe(List.of(threadId)).map(seen -> seen.get(threadId).status());
    }

    /** What {@code T3Reader.threads} did before: the shell (every thread T3 has), then the one thread's body. */
    private Uni<ThreadStatus> shellThenThread(String threadId) {
        return http.exchange(T3Request.shell())
                .map(response -> T3ReadModel.parse(response.json(mapper)))
                .chain(listing -> reader.thread(threadId))
                .map(thread -> T3ThreadStates.observe(thread.orElse(null), null).status());
    }

    private void write(Map<Integer, Map<Design, Sample>> results) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("| T3 history (threads) | reader | requests per pass | KiB per pass (median) | ms per pass (median) |\n");
        out.append("|---:|---|---:|---:|---:|\n");
        results.forEach((history, samples) -> samples.forEach((design, s) -> out.append("| %,d | %s | %d | %.1f | %.1f |\n"
                .formatted(history, design.label, s.medianRequests(), s.medianBytes() / 1024.0, s.medianMillis()))));
        int small = HISTORY[0];
        int large = HISTORY[HISTORY.length - 1];
        out.append("\nGrowth from %d to %,d threads (median per pass, %d runs observed, %d passes each):\n\n"
                .formatted(small, large, ACTIVE, TICKS));
        out.append("| reader | bytes ×%d/×%d | time ×%d/×%d |\n|---|---:|---:|\n".formatted(large, small, large, small));
        for (Design design : Design.values()) {
            Sample from = results.get(small).get(design);
            Sample to = results.get(large).get(design);
            out.append("| %s | %.2f | %.2f |\n".formatted(design.label,
                    (double) to.medianBytes() / from.medianBytes(), to.medianMillis() / from.medianMillis()));
        }
        Sample ours = results.get(large).get(Design.BY_ID);
        Sample before = results.get(large).get(Design.SHELL);
        out.append("\nAt %,d threads, before ÷ adapter: bytes %.1f×, time %.1f×\n".formatted(large,
                (double) before.medianBytes() / ours.medianBytes(), before.medianMillis() / ours.medianMillis()));
        Path file = Path.of("target", "bench", "executor-history.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, out.toString());
        System.out.println(out);
    }
}
