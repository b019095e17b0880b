package dev.afk.controlplane.afk.judgment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.afk.fakes.FakeIssueTracker;
import dev.afk.controlplane.agents.NativeAgents;
import dev.afk.controlplane.agents.container.ContainerEngine;
import dev.afk.controlplane.agents.container.ContainerStats;
import dev.afk.controlplane.agents.runtime.TaskOutcome;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.fakes.anthropic.FakeMessagesApi;
import dev.afk.controlplane.fakes.anthropic.FakeMessagesApiResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The cost claim of native agents, measured in one run: memory and CPU of {@code AGENTS} started,
 * idle native agents in this service (JVM heap after a full GC, process CPU over an idle window)
 * against one idle minimal labelled container agent on the engine ({@code bench/judgment/run.sh}
 * creates and starts it; its memory and CPU come from the engine's stats); then triage tasks per
 * second through the registry against the fake Messages API. Not part of the test suite.
 */
@QuarkusTest
class JudgmentBenchmark {

    static final int AGENTS = Integer.getInteger("bench.agents", 1000);
    static final int TASKS = Integer.getInteger("bench.tasks", 400);
    static final Duration IDLE = Duration.ofSeconds(Long.getLong("bench.idle-seconds", 30));
    static final String CONTAINER = System.getProperty("bench.container", "");
    static final int WARM_UP = 20;
    static final int SAMPLES = 5;
    static final Path HISTOGRAM = Path.of("target/bench/judgment-histogram.md");

    @Inject
    NativeAgents agents;

    @Inject
    ContainerEngine engine;

    @Inject
    FakeIssueTracker tracker;

    @Inject
    Pool pool;

    static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work::get);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void nativeAgentsAgainstAContainerAgent() throws Exception {
        StringBuilder report = new StringBuilder();
        RepoSlug repo = RepoSlug.parse("bench/judgment");

        // --- idle memory and CPU: the service before and after AGENTS started triage agents ------
        // A few agents first, and the same reads as after, so one-time costs (classes loaded, query
        // plans parsed, statement caches) land in the baseline and not in the per-agent figure.
        startAgents(repo, 0, WARM_UP);
        assertThat(await(() -> agents.running(TriageNodeType.NAME))).hasSizeGreaterThanOrEqualTo(WARM_UP);
        List<Long> heapBefore = heapSamples();
        String histogramBefore = classHistogram();
        double cpuBefore = processCpuPercent(IDLE);
        startAgents(repo, WARM_UP, WARM_UP + AGENTS);
        assertThat(await(() -> agents.running(TriageNodeType.NAME))).hasSizeGreaterThanOrEqualTo(WARM_UP + AGENTS);
        List<Long> heapAfter = heapSamples();
        String histogramAfter = classHistogram();
        double cpuAfter = processCpuPercent(IDLE);
        long rowBytes = await(() -> pool.query("select pg_total_relation_size('agent') as b").execute()
                .map(rows -> rows.iterator().next().getLong("b")));
        long heapDelta = median(heapAfter) - median(heapBefore);
        long histogramDelta = HeapHistogram.totalDelta(histogramBefore, histogramAfter);
        double perAgentRow = rowBytes / (double) (WARM_UP + AGENTS);
        // The larger of the two heap measures, never below zero.
        double perAgentHeap = Math.max(0, Math.max(heapDelta, histogramDelta)) / (double) AGENTS;
        Files.createDirectories(HISTOGRAM.getParent());
        Files.writeString(HISTOGRAM, HeapHistogram.diff(histogramBefore, histogramAfter, AGENTS, 25));

        // --- one idle container agent, same run: the median of SAMPLES engine stats ------------
        List<ContainerStats> samples = new ArrayList<>();
        for (int i = 0; !CONTAINER.isEmpty() && i < SAMPLES; i++) {
            samples.add(await(() -> engine.stats(CONTAINER)));
            Thread.sleep(IDLE.toMillis() / SAMPLES);
        }

        report.append("| measure | value |\n|---|---|\n")
                .append(row("started idle native agents (after " + WARM_UP + " warm-up agents)", AGENTS))
                .append(row("JVM heap after full GC, before (MiB, median of " + SAMPLES + ")", mib(median(heapBefore))))
                .append(row("JVM heap after full GC, after (MiB, median of " + SAMPLES + ")", mib(median(heapAfter))))
                .append(row("live heap added (class histograms after full GC, bytes)", histogramDelta))
                .append(row("heap per native agent (bytes; larger of the two deltas / agents, at least 0)", String.format("%.0f", perAgentHeap)))
                .append(row("`agent` table incl. indexes (bytes per row, all rows)", String.format("%.0f", perAgentRow)))
                .append(row("service CPU idle, before / after (% of one core, " + IDLE.toSeconds() + " s)",
                        String.format("%.2f / %.2f", cpuBefore, cpuAfter)));
        if (!samples.isEmpty()) {
            long containerBytes = median(samples.stream().map(ContainerStats::memoryUsedBytes).toList());
            double containerCpu = samples.stream().mapToDouble(ContainerStats::cpuPercent).sorted()
                    .skip(samples.size() / 2).findFirst().orElseThrow();
            // Native, conservatively: the heap the agents added plus their rows, as if PostgreSQL
            // kept every row and index entry in memory. An idle native agent holds nothing else.
            double perAgent = perAgentHeap + perAgentRow;
            report.append(row("idle container agent memory (engine stats, bytes, median of " + samples.size() + ")", containerBytes))
                    .append(row("idle container agent CPU (% of one core, engine stats, median)", String.format("%.2f", containerCpu)))
                    .append(row("**memory ratio container / native agent** (native: heap per agent + row size)",
                            String.format("**%.0f×**", containerBytes / perAgent)));
        }

        // --- throughput: triage tasks through the registry against the fake model ----------------
        FakeMessagesApi model = FakeMessagesApiResource.fake();
        model.reset();
        model.whenIdle(body -> model.toolAnswer(body, Map.of("labels", List.of("bug"), "priority", 3, "ready", true,
                "reasons", List.of("clear"), "missing", List.of()), 800, 60));
        for (int i = 0; i < TASKS; i++) {
            tracker.issue(repo, i + 1, "Issue " + (i + 1)).body("Body of issue " + (i + 1));
        }
        // Submitted one after another (each its own transaction), spread over the agents so none is
        // full; each task runs on a context of its own as soon as it is stored.
        long started = System.nanoTime();
        List<Uni<TaskOutcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            String agent = "bench-triage-" + (i % AGENTS);
            int issue = i + 1;
            outcomes.add(await(() -> agents.submit(agent, "#" + issue, "bench", "bench")).outcome());
        }
        List<TaskOutcome> done = Uni.join().all(outcomes).andFailFast().await().atMost(Duration.ofMinutes(10));
        double seconds = (System.nanoTime() - started) / 1e9;
        long succeeded = done.stream().filter(TaskOutcome::success).count();
        report.append(row("triage tasks (fake model over loopback)", TASKS + " on " + Math.min(TASKS, AGENTS) + " agents"))
                .append(row("succeeded", succeeded))
                .append(row("**tasks per second**", String.format("**%.1f**", TASKS / seconds)));

        Path out = Path.of("target/bench/judgment.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
        assertThat(succeeded).isEqualTo(TASKS);
    }

    private void startAgents(RepoSlug repo, int from, int to) {
        for (int i = from; i < to; i++) {
            String name = "bench-triage-" + i;
            await(() -> agents.ensure(name, "bench", TriageNodeType.NAME, Map.of("repo", repo.toString()), true));
        }
    }

    private static long median(List<Long> values) {
        return values.stream().sorted().skip(values.size() / 2).findFirst().orElseThrow();
    }

    private static List<Long> heapSamples() throws InterruptedException {
        List<Long> samples = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            samples.add(heapAfterGc());
        }
        return samples;
    }

    /** The live objects per class ({@code jcmd GC.class_histogram}, which collects first), from inside. */
    private static String classHistogram() throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
    }

    private static String row(String what, Object value) {
        return "| " + what + " | " + value + " |\n";
    }

    private static String mib(long bytes) {
        return String.format("%.1f", bytes / 1048576.0);
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(300);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double processCpuPercent(Duration window) throws InterruptedException, IOException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Thread.sleep(window.toMillis());
        return 100.0 * (os.getProcessCpuTime() - cpu0) / (System.nanoTime() - t0);
    }
}
