package dev.afk.controlplane.afk.runs;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.executor.Executor;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Operators' view of runs and their levers: cancel and answer. (Retry queues through the poller.) */
@ApplicationScoped
public class RunService {

    private final Pool pool;
    private final RunStore runs;
    private final Executor executor;
    private final Clock clock;

    RunService(Pool pool, RunStore runs, Executor executor, Clock clock) {
        this.pool = pool;
        this.runs = runs;
        this.executor = executor;
        this.clock = clock;
    }

    public record Detail(Run run, URI threadLink, List<RunStore.Event> timeline, List<RunStore.StoredEffect> effects) {}

    public Uni<List<Run>> list(RepoSlug repo, RunState state, int limit) {
        return runs.list(pool, repo, state, limit);
    }

    public Uni<Run> get(String id) {
        return runs.find(pool, parse(id)).map(r -> r.orElseThrow(() -> new RunProblems.NotFound(id)));
    }

    public Uni<Detail> detail(String id) {
        return get(id).chain(run -> Uni.combine().all()
                .unis(runs.events(pool, run.id()), runs.effects(pool, run.id(), false)).asTuple()
                .map(t -> new Detail(run, link(run), t.getItem1(), t.getItem2())));
    }

    public URI link(Run run) {
        return run.threadId() == null ? null : executor.deepLink(run.threadId());
    }

    /** Asks the reconciler to cancel: it interrupts the agent and releases labels and worktree. */
    public Uni<Run> cancel(String id, String by) {
        Instant now = clock.instant();
        return pool.withTransaction(sql -> runs.findForUpdate(sql, parse(id))
                .map(r -> r.orElseThrow(() -> new RunProblems.NotFound(id)))
                .call(run -> {
                    if (run.state().terminal()) {
                        throw new RunProblems.Conflict("the run is already " + run.state());
                    }
                    return runs.requestCancel(sql, run.id(), by)
                            .chain(() -> runs.appendEvent(sql, run.id(), now, run.state(), run.state(), "cancel requested by " + by, by))
                            .chain(() -> runs.nudge(sql, run.id(), now));
                }))
                .chain(run -> get(run.id()));
    }

    /** Relays an operator's answer to the agent's pending question or approval. */
    public Uni<Run> answer(String id, String answer, String by) {
        Instant now = clock.instant();
        return pool.withTransaction(sql -> runs.findForUpdate(sql, parse(id))
                .map(r -> r.orElseThrow(() -> new RunProblems.NotFound(id)))
                .call(run -> {
                    Executor.PendingRequest pending = run.progress().pendingRequest();
                    if (run.state() != RunState.NEEDS_INPUT || pending == null) {
                        throw new RunProblems.Conflict("the agent is not waiting on a question (state " + run.state() + ")");
                    }
                    if (pending.kind() == Executor.PendingRequest.Kind.APPROVAL
                            && !answer.equals("accept") && !answer.equals("decline")) {
                        throw new RunProblems.Conflict("an approval is answered with 'accept' or 'decline'");
                    }
                    return runs.appendEffects(sql, run.id(), List.of(new Effect.RelayAnswer(pending, answer)), now)
                            .chain(() -> runs.appendEvent(sql, run.id(), now, run.state(), run.state(),
                                    "answered by " + by + ": " + answer, by))
                            .chain(() -> runs.nudge(sql, run.id(), now));
                }))
                .chain(run -> get(run.id()));
    }

    public Uni<Optional<Run>> find(String id) {
        return runs.find(pool, parse(id));
    }

    /** Run ids are UUIDs; anything else cannot name a run. */
    static String parse(String id) {
        try {
            return UUID.fromString(id).toString();
        } catch (IllegalArgumentException e) {
            throw new RunProblems.NotFound(id);
        }
    }
}
