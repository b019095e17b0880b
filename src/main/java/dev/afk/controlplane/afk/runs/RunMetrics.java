package dev.afk.controlplane.afk.runs;

import dev.afk.controlplane.afk.PipelineTicks;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pipeline's metrics: runs by state and frozen repositories (read from the database, so every
 * replica reports the same), label → dispatch latency, fix-forward attempts and escalations.
 */
@ApplicationScoped
public class RunMetrics {

    private final MeterRegistry registry;
    private final Pool pool;
    private final RunStore runs;
    private final Map<RunState, AtomicInteger> byState = new EnumMap<>(RunState.class);
    private final AtomicInteger frozenRepos = new AtomicInteger();
    private final Timer dispatchLatency;

    RunMetrics(MeterRegistry registry, Pool pool, RunStore runs) {
        this.registry = registry;
        this.pool = pool;
        this.runs = runs;
        for (RunState state : RunState.values()) {
            AtomicInteger value = new AtomicInteger();
            byState.put(state, value);
            Gauge.builder("afk.runs", value, AtomicInteger::get).tag("state", state.name())
                    .description("Runs by state").register(registry);
        }
        Gauge.builder("afk.repos.frozen", frozenRepos, AtomicInteger::get)
                .description("Repositories held by a frozen run until an admin unfreezes them").register(registry);
        dispatchLatency = Timer.builder("afk.dispatch.latency")
                .description("From the trusted label to the executor accepting the work")
                .register(registry);
    }

    void transition(Run before, Run after) {
        if (before.state() == after.state()) {
            return;
        }
        if (after.state() == RunState.WORKING && before.state() == RunState.DISPATCHING && after.release().labelledAt() != null) {
            dispatchLatency.record(Duration.between(after.release().labelledAt(), after.progress().dispatchedAt()));
        }
        if (after.state() == RunState.FIX_FORWARDING && before.state() == RunState.AWAITING_CI) {
            registry.counter("afk.fix.forward.attempts", "repo", after.repo().toString()).increment();
        }
        if (after.state() == RunState.ESCALATED || after.state() == RunState.FROZEN) {
            registry.counter("afk.escalations", "state", after.state().name()).increment();
        }
        registry.counter("afk.run.transitions", "to", after.state().name()).increment();
    }

    @Scheduled(every = "${afk.pipeline.metrics-refresh:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = PipelineTicks.class)
    public Uni<Void> refresh() {
        Uni<Void> states = runs.countByState(pool)
                .invoke(counts -> byState.forEach((state, value) -> value.set(counts.getOrDefault(state, 0))))
                .replaceWithVoid();
        Uni<Void> frozen = pool.query("select count(*) as n from afk_repo where frozen_by_run is not null").execute()
                .invoke(rows -> frozenRepos.set(rows.iterator().next().getInteger("n")))
                .replaceWithVoid();
        return states.chain(() -> frozen);
    }
}
