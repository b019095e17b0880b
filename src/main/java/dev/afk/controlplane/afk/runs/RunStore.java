package dev.afk.controlplane.afk.runs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.afk.controlplane.afk.Rows;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.common.RunId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * SQL for runs, their effects and their timeline. Every method takes the client so that callers
 * can put a state change, its effects and its timeline entry in one transaction.
 */
@ApplicationScoped
public class RunStore {

    private final ObjectMapper json;
    private final RunRows columns;

    RunStore(ObjectMapper json) {
        this.json = json;
        this.columns = new RunRows(json);
    }

    /** A stored effect with its position and bookkeeping. */
    public record StoredEffect(int seq, Effect effect, Instant doneAt, int attempts, String lastError) {}

    /** One timeline entry. */
    public record Event(Instant at, RunState from, RunState to, String detail, String actor) {}

    // --- creating ------------------------------------------------------------------------

    /** Inserts a queued run; false if the repository or the issue already has an open run. */
    public Uni<Boolean> insertQueued(SqlClient sql, Run run, String actor) {
        return sql.preparedQuery(columns.insert()).execute(columns.insertArgs(run))
                // A conflict (another active run of the repository or the issue) must not abort the caller's transaction.
                .onItem().transformToUni(inserted -> inserted.rowCount() == 0 ? Uni.createFrom().item(false)
                        : appendEvent(sql, run.id(), run.createdAt(), null, RunState.QUEUED,
                                (run.retryOf() == null ? "queued: released by " : "queued: retried by ") + run.release().labelledBy(),
                                actor)
                                .replaceWith(true));
    }

    // --- reading -------------------------------------------------------------------------

    public Uni<Optional<Run>> find(SqlClient sql, RunId id) {
        return sql.preparedQuery("select * from afk_run where id = $1").execute(Tuple.of(id.value()))
                .map(rows -> Rows.first(rows, columns::run));
    }

    public Uni<Optional<Run>> findForUpdate(SqlClient sql, RunId id) {
        return sql.preparedQuery("select * from afk_run where id = $1 for update").execute(Tuple.of(id.value()))
                .map(rows -> Rows.first(rows, columns::run));
    }

    public Uni<List<Run>> list(SqlClient sql, RepoSlug repo, RunState state, int limit) {
        return sql.preparedQuery("""
                        select * from afk_run where ($1::text is null or repo = $1) and ($2::text is null or state = $2)
                        order by seq desc limit $3""")
                .execute(Tuple.of(repo == null ? null : repo.toString(), state == null ? null : state.name(), limit))
                .map(rows -> Rows.all(rows, columns::run));
    }

    public Uni<List<Event>> events(SqlClient sql, RunId runId) {
        return sql.preparedQuery("select * from afk_run_event where run_id = $1 order by id").execute(Tuple.of(runId.value()))
                .map(rows -> Rows.all(rows, row -> new Event(Rows.instant(row.getOffsetDateTime("at")),
                        state(row.getString("from_state")), state(row.getString("to_state")), row.getString("detail"),
                        row.getString("actor"))));
    }

    public Uni<List<StoredEffect>> effects(SqlClient sql, RunId runId, boolean pendingOnly) {
        return sql.preparedQuery("select * from afk_run_effect where run_id = $1 and ($2 = false or done_at is null) order by seq")
                .execute(Tuple.of(runId.value(), pendingOnly))
                .map(rows -> Rows.all(rows, row -> new StoredEffect(row.getInteger("seq"),
                        Rows.fromJsonb(json, row, "payload", json.constructType(Effect.class)), Rows.instant(row.getOffsetDateTime("done_at")),
                        row.getInteger("attempts"), row.getString("last_error"))));
    }

    /**
     * Open runs (active, or finished with effects still owed): in the whole system, in the
     * repository, and the issues they belong to.
     */
    public record Activity(int global, boolean inRepo, Set<Integer> issuesInRepo, Map<Integer, Instant> lastRunAt) {}

    public Uni<Activity> activity(SqlClient sql, RepoSlug repo) {
        return sql.preparedQuery("select repo, issue from afk_run where active or effects_pending").execute()
                .chain(open -> lastRunAt(sql, repo).map(last -> activity(open, repo, last)));
    }

    /** When the newest run of each issue of the repository was created. */
    private Uni<Map<Integer, Instant>> lastRunAt(SqlClient sql, RepoSlug repo) {
        return sql.preparedQuery("select issue, max(created_at) as at from afk_run where repo = $1 group by issue")
                .execute(Tuple.of(repo.toString()))
                .map(rows -> {
                    Map<Integer, Instant> last = new java.util.HashMap<>();
                    rows.forEach(row -> last.put(row.getInteger("issue"), Rows.instant(row.getOffsetDateTime("at"))));
                    return Map.copyOf(last);
                });
    }

    private static Activity activity(io.vertx.mutiny.sqlclient.RowSet<Row> open, RepoSlug repo, Map<Integer, Instant> lastRunAt) {
        int global = 0;
        Set<Integer> issues = new HashSet<>();
        for (Row row : open) {
            global++;
            if (row.getString("repo").equals(repo.toString())) {
                issues.add(row.getInteger("issue"));
            }
        }
        return new Activity(global, !issues.isEmpty(), issues, lastRunAt);
    }

    public Uni<Integer> openCount(SqlClient sql) {
        return sql.query("select count(*) as n from afk_run where active or effects_pending").execute()
                .map(rows -> rows.iterator().next().getInteger("n"));
    }

    public Uni<Map<RunState, Integer>> countByState(SqlClient sql) {
        return sql.query("select state, count(*) as n from afk_run group by state").execute()
                .map(rows -> {
                    Map<RunState, Integer> counts = new TreeMap<>();
                    for (Row row : rows) {
                        counts.put(RunState.valueOf(row.getString("state")), row.getInteger("n"));
                    }
                    return counts;
                });
    }

    // --- reconciling ---------------------------------------------------------------------

    /**
     * Leases up to {@code limit} due runs to {@code owner}. {@code skip locked} lets replicas claim
     * disjoint batches without waiting on each other; the lease keeps a run with one replica while
     * it performs effects outside any transaction.
     */
    public Uni<List<Run>> claim(SqlClient sql, String owner, Instant now, Instant leaseUntil, int limit) {
        return sql.preparedQuery("""
                        update afk_run r set lease_owner = $1, lease_until = $2
                        where r.id in (
                            select id from afk_run
                            where (active or effects_pending) and next_reconcile_at <= $3
                              and (lease_until is null or lease_until < $3)
                            order by next_reconcile_at, id
                            limit $4
                            for update skip locked)
                        returning r.*""")
                .execute(Tuple.of(owner, Rows.at(leaseUntil), Rows.at(now), limit))
                .map(rows -> Rows.all(rows, columns::run));
    }

    /** Extends the leases {@code owner} still holds among {@code runIds}; a released or lost one is left alone. */
    public Uni<Void> renewLeases(SqlClient sql, List<RunId> runIds, String owner, Instant leaseUntil) {
        return sql.preparedQuery("update afk_run set lease_until = $3 where id = any($1) and lease_owner = $2")
                .execute(Tuple.of(runIds.stream().map(RunId::value).toArray(UUID[]::new), owner, Rows.at(leaseUntil)))
                .replaceWithVoid();
    }

    /**
     * Commits a decision: the new progress, its effects and its timeline entry, all or nothing. Fails
     * with {@link LeaseLost} if the run changed under us or another replica took it over.
     */
    public Uni<Run> commit(SqlClient sql, Run run, Decision decision, String owner, Instant now) {
        Progress p = decision.next();
        boolean withEffects = !decision.effects().isEmpty();
        Uni<Void> saved = sql.preparedQuery(columns.commit())
                .execute(columns.commitArgs(run, p, owner, withEffects))
                .invoke(updated -> {
                    if (updated.rowCount() == 0) {
                        throw new LeaseLost(run.id());
                    }
                })
                .replaceWithVoid();
        Uni<Void> effects = withEffects ? appendEffects(sql, run.id(), decision.effects(), now) : Uni.createFrom().voidItem();
        Uni<Void> event = decision.event() == null ? Uni.createFrom().voidItem()
                : appendEvent(sql, run.id(), now, run.state(), p.state(), decision.event(), "pipeline");
        return saved.chain(() -> effects).chain(() -> event).replaceWith(() -> run.withProgress(p));
    }

    /** Appends effects after the run's existing ones; call inside the transaction that changed the run. */
    public Uni<Void> appendEffects(SqlClient sql, RunId runId, List<Effect> effects, Instant now) {
        return sql.preparedQuery("select coalesce(max(seq), 0) as last from afk_run_effect where run_id = $1")
                .execute(Tuple.of(runId.value()))
                .map(rows -> rows.iterator().next().getInteger("last"))
                .chain(last -> {
                    List<Tuple> batch = new ArrayList<>();
                    for (int i = 0; i < effects.size(); i++) {
                        Effect effect = effects.get(i);
                        batch.add(Tuple.of(runId.value(), last + 1 + i, kind(effect), Rows.jsonb(json, effect), Rows.at(now)));
                    }
                    return sql.preparedQuery("""
                                    insert into afk_run_effect (run_id, seq, kind, payload, created_at)
                                    values ($1, $2, $3, $4::jsonb, $5)""")
                            .executeBatch(batch);
                })
                .chain(() -> sql.preparedQuery("update afk_run set effects_pending = true where id = $1").execute(Tuple.of(runId.value())))
                .replaceWithVoid();
    }

    public Uni<Void> appendEvent(SqlClient sql, RunId runId, Instant at, RunState from, RunState to, String detail, String actor) {
        return sql.preparedQuery("insert into afk_run_event (run_id, at, from_state, to_state, detail, actor) values ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.from(Arrays.asList(runId.value(), Rows.at(at), from == null ? null : from.name(), to.name(),
                        detail, actor)))
                .replaceWithVoid();
    }

    public Uni<Void> effectDone(SqlClient sql, RunId runId, int seq, Instant now) {
        return sql.preparedQuery("update afk_run_effect set done_at = $3, attempts = attempts + 1, last_error = null where run_id = $1 and seq = $2")
                .execute(Tuple.of(runId.value(), seq, Rows.at(now)))
                .chain(() -> sql.preparedQuery("""
                                update afk_run set effects_pending = exists (
                                    select 1 from afk_run_effect where run_id = $1 and done_at is null) where id = $1""")
                        .execute(Tuple.of(runId.value())))
                .replaceWithVoid();
    }

    public Uni<Void> effectFailed(SqlClient sql, RunId runId, int seq, String error) {
        return sql.preparedQuery("update afk_run_effect set attempts = attempts + 1, last_error = $3 where run_id = $1 and seq = $2")
                .execute(Tuple.of(runId.value(), seq, error))
                .replaceWithVoid();
    }

    /** An effect the kill switch holds: noted on the effect, not counted as a failed attempt. */
    public Uni<Void> effectHeld(SqlClient sql, RunId runId, int seq, String why) {
        return sql.preparedQuery("update afk_run_effect set last_error = $3 where run_id = $1 and seq = $2")
                .execute(Tuple.of(runId.value(), seq, why))
                .replaceWithVoid();
    }

    /** Gives up on the run's remaining effects (the run is escalated instead); kept for the record. */
    public Uni<Void> abandonPendingEffects(SqlClient sql, RunId runId, Instant now) {
        return sql.preparedQuery("""
                        update afk_run_effect set done_at = $2, last_error = coalesce(last_error, '') || ' (abandoned)'
                        where run_id = $1 and done_at is null""")
                .execute(Tuple.of(runId.value(), Rows.at(now)))
                .chain(() -> sql.preparedQuery("update afk_run set effects_pending = false where id = $1").execute(Tuple.of(runId.value())))
                .replaceWithVoid();
    }

    /** Records an id an effect obtained (thread, worktree, comment, …) on the run. */
    public Uni<Void> setFact(SqlClient sql, RunId runId, Fact fact, Object value) {
        return sql.preparedQuery("update afk_run set " + fact.column + " = $2 where id = $1")
                .execute(Tuple.of(runId.value(), value))
                .replaceWithVoid();
    }

    public enum Fact {
        PROJECT_ID("project_id"), THREAD_ID("thread_id"), WORKTREE_PATH("worktree_path"), BRANCH("branch"),
        CHECKLIST_COMMENT_ID("checklist_comment_id");

        final String column;

        Fact(String column) {
            this.column = column;
        }
    }

    public Uni<Void> release(SqlClient sql, RunId runId, String owner, Instant nextReconcileAt) {
        return sql.preparedQuery("""
                        update afk_run set lease_owner = null, lease_until = null, next_reconcile_at = $3
                        where id = $1 and lease_owner = $2""")
                .execute(Tuple.of(runId.value(), owner, Rows.at(nextReconcileAt)))
                .replaceWithVoid();
    }

    /** A run backing off a failed effect: it is performed first whatever happened, after its back-off. */
    private static final String NOT_BACKING_OFF = """
            not exists (select 1 from afk_run_effect e where e.run_id = r.id and e.done_at is null and e.attempts > 0)""";

    /**
     * Makes the run due now (e.g. after an operator action), unless it backs off a failed effect:
     * that effect comes first anyway, and an action must not turn its back-off into a tight retry.
     */
    public Uni<Void> nudge(SqlClient sql, RunId runId, Instant now) {
        return sql.preparedQuery("update afk_run r set next_reconcile_at = $2 where r.id = $1 and " + NOT_BACKING_OFF)
                .execute(Tuple.of(runId.value(), Rows.at(now)))
                .replaceWithVoid();
    }

    /** Makes the open run of each repository due now: something happened there (a push, a check, a label). */
    public Uni<Void> nudgeRepos(SqlClient sql, List<RepoSlug> repos, Instant now) {
        if (repos.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return sql.preparedQuery("""
                        update afk_run r set next_reconcile_at = $2
                        where r.repo = any($1) and (r.active or r.effects_pending) and r.next_reconcile_at > $2
                          and""" + " " + NOT_BACKING_OFF)
                .execute(Tuple.of(repos.stream().map(RepoSlug::toString).toArray(String[]::new), Rows.at(now)))
                .replaceWithVoid();
    }

    public Uni<Boolean> requestCancel(SqlClient sql, RunId runId, String by) {
        return sql.preparedQuery("update afk_run set cancel_requested_by = coalesce(cancel_requested_by, $2) where id = $1 and active")
                .execute(Tuple.of(runId.value(), by))
                .map(rows -> rows.rowCount() > 0);
    }

    // --- mapping -------------------------------------------------------------------------

    private static RunState state(String name) {
        return name == null ? null : RunState.valueOf(name);
    }

    private String kind(Effect effect) {
        return json.valueToTree(effect).get("type").asText();
    }

}
