package dev.afk.controlplane.afk.runs;

import dev.afk.controlplane.afk.killswitch.ActiveTurns;
import dev.afk.controlplane.common.RunId;
import dev.afk.controlplane.executor.Executor;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Interrupts every turn agents run now, all at once, for the kill switch. Each interrupt has its
 * own deadline so that one slow thread does not hold the others past the promised 5 s. The runs
 * are left to the reconciler: an interrupted turn that pushed nothing escalates to a human.
 */
@ApplicationScoped
class TurnInterrupts implements ActiveTurns {

    private static final Logger LOG = Logger.getLogger(TurnInterrupts.class);
    private static final Duration EACH = Duration.ofSeconds(4);

    private final Pool pool;
    private final RunStore runs;
    private final Executor executor;
    private final Clock clock;

    TurnInterrupts(Pool pool, RunStore runs, Executor executor, Clock clock) {
        this.pool = pool;
        this.runs = runs;
        this.executor = executor;
        this.clock = clock;
    }

    @Override
    public Uni<Integer> interruptAll(String by, String reason) {
        Instant now = clock.instant();
        return pool.query("select id, state, thread_id from afk_run where active and thread_id is not null").execute()
                .map(rows -> {
                    List<Uni<Boolean>> interrupts = new java.util.ArrayList<>();
                    rows.forEach(row -> interrupts.add(interrupt(new RunId(row.getUUID("id")),
                            RunState.valueOf(row.getString("state")), row.getString("thread_id"), now, by, reason)));
                    return interrupts;
                })
                .chain(interrupts -> interrupts.isEmpty() ? Uni.createFrom().item(0)
                        : Uni.join().all(interrupts).andFailFast()
                                .map(done -> (int) done.stream().filter(Boolean::booleanValue).count()));
    }

    private Uni<Boolean> interrupt(RunId runId, RunState state, String threadId, Instant now, String by, String reason) {
        return executor.interrupt(threadId, RunIds.command(runId, "kill-switch:" + now.toEpochMilli()))
                .ifNoItem().after(EACH).fail()
                .chain(() -> runs.appendEvent(pool, runId, now, state, state,
                        "turn interrupted by the kill switch: " + reason, by))
                .replaceWith(true)
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf(e, "run %s: the kill switch could not interrupt thread %s", runId, threadId);
                    return false;
                });
    }
}
