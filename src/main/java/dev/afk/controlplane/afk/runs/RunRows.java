package dev.afk.controlplane.afk.runs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.afk.controlplane.afk.Rows;
import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.common.RunId;
import dev.afk.controlplane.executor.Executor.PendingRequest;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The one place that maps a run to the columns of {@code afk_run} and back: each written column is
 * named beside the value it gets, and the statements are built from these lists, so a parameter
 * cannot land in the wrong column. A new field is a component, a column here and a migration.
 */
final class RunRows {

    /** A written column: its name, its SQL type where the parameter needs a cast, and its value. */
    private record Column<T>(String name, String cast, Function<T, Object> value) {
        String parameter(int position) {
            return "$" + position + (cast == null ? "" : "::" + cast);
        }
    }

    private final ObjectMapper json;
    /** Written by every committed decision (and at queueing, from {@link Progress#queued()}). */
    private final List<Column<Progress>> progress;
    /** Every column of a queued run, its progress included. */
    private final List<Column<Run>> inserted;
    private final String insert;
    private final String commit;

    RunRows(ObjectMapper json) {
        this.json = json;
        // Written once, when the run is queued.
        List<Column<Run>> queued = List.of(
                column("id", r -> r.id().value()),
                column("repo", r -> r.repo().toString()),
                column("issue", Run::issue),
                column("title", r -> r.release().title()),
                column("labelled_by", r -> r.release().labelledBy()),
                column("labelled_at", r -> Rows.at(r.release().labelledAt())),
                column("prompt", Run::prompt),
                new Column<>("settings", "jsonb", r -> Rows.jsonb(json, r.settings())),
                column("created_at", r -> Rows.at(r.createdAt())),
                column("next_reconcile_at", r -> Rows.at(r.createdAt())),
                column("retry_of", r -> r.retryOf() == null ? null : r.retryOf().value()));
        this.progress = List.of(
                column("state", p -> p.state().name()),
                column("dispatched_at", p -> Rows.at(p.dispatchedAt())),
                column("attempt_started_at", p -> Rows.at(p.attemptStartedAt())),
                column("commit_sha", Progress::commitSha),
                column("ci_since", p -> Rows.at(p.ciSince())),
                column("last_verdict", p -> p.lastVerdict() == null ? null : p.lastVerdict().name()),
                column("first_red_at", p -> Rows.at(p.firstRedAt())),
                column("fix_forward_attempts", Progress::fixForwardAttempts),
                column("waiting_past_sha", Progress::waitingPastSha),
                column("fix_sent_at", p -> Rows.at(p.fixSentAt())),
                new Column<>("pending_request", "jsonb", p -> Rows.jsonb(json, p.pendingRequest())),
                column("turns", Progress::turns),
                column("cost_usd", Progress::costUsd),
                column("last_progress_at", p -> Rows.at(p.lastProgressAt())),
                column("cancel_requested_by", Progress::cancelRequestedBy),
                column("outcome_reason", Progress::outcomeReason),
                column("finished_at", p -> Rows.at(p.finishedAt())));
        // A queued run is inserted with its queued progress: every written column, in one list.
        List<Column<Run>> all = Stream.concat(queued.stream(), progress.stream()
                .map(c -> new Column<Run>(c.name(), c.cast(), r -> c.value().apply(r.progress())))).toList();
        this.inserted = all;
        this.insert = "insert into afk_run (" + all.stream().map(Column::name).collect(Collectors.joining(", "))
                + ") values (" + IntStream.range(0, all.size()).mapToObj(i -> all.get(i).parameter(i + 1))
                .collect(Collectors.joining(", ")) + ") on conflict do nothing";
        // $1 id, $2 version, $3 lease owner, then the progress, then whether effects were added.
        this.commit = "update afk_run set " + IntStream.range(0, progress.size())
                .mapToObj(i -> progress.get(i).name() + " = " + progress.get(i).parameter(i + 4)).collect(Collectors.joining(", "))
                + ", effects_pending = effects_pending or $" + (progress.size() + 4)
                + ", version = version + 1 where id = $1 and version = $2 and lease_owner = $3";
    }

    private static <T> Column<T> column(String name, Function<T, Object> value) {
        return new Column<>(name, null, value);
    }

    /** Inserts a queued run; no row on a conflict (an open run of the repository or the issue). */
    String insert() {
        return insert;
    }

    Tuple insertArgs(Run run) {
        List<Object> args = new ArrayList<>();
        inserted.forEach(c -> args.add(c.value().apply(run)));
        return Tuple.from(args);
    }

    /** Saves a decision's progress if the run is still at {@code version} and leased to the owner. */
    String commit() {
        return commit;
    }

    Tuple commitArgs(Run run, Progress next, String owner, boolean withEffects) {
        List<Object> args = new ArrayList<>(List.of(run.id().value(), run.version(), owner));
        progress.forEach(c -> args.add(c.value().apply(next)));
        args.add(withEffects);
        return Tuple.from(args);
    }

    /** The one row mapper of a run. */
    Run run(Row row) {
        UUID retryOf = row.getUUID("retry_of");
        return new Run(
                new RunId(row.getUUID("id")),
                new Run.Release(RepoSlug.parse(row.getString("repo")), row.getInteger("issue"), row.getString("title"),
                        row.getString("labelled_by"), instant(row, "labelled_at")),
                row.getString("prompt"),
                Rows.fromJsonb(json, row, "settings", json.constructType(RunSettings.class)),
                instant(row, "created_at"),
                retryOf == null ? null : new RunId(retryOf),
                progress(row),
                new Run.ExecutorRefs(row.getString("project_id"), row.getString("thread_id")),
                new Run.Workspace(row.getString("worktree_path"), row.getString("branch")),
                row.getLong("checklist_comment_id"),
                row.getInteger("version"));
    }

    private Progress progress(Row row) {
        String verdict = row.getString("last_verdict");
        Progress.Edit p = Progress.queued().edit();
        p.state = RunState.valueOf(row.getString("state"));
        p.dispatchedAt = instant(row, "dispatched_at");
        p.attemptStartedAt = instant(row, "attempt_started_at");
        p.commitSha = row.getString("commit_sha");
        p.ciSince = instant(row, "ci_since");
        p.lastVerdict = verdict == null ? null : Outcome.valueOf(verdict);
        p.firstRedAt = instant(row, "first_red_at");
        p.fixForwardAttempts = row.getInteger("fix_forward_attempts");
        p.waitingPastSha = row.getString("waiting_past_sha");
        p.fixSentAt = instant(row, "fix_sent_at");
        p.pendingRequest = Rows.fromJsonb(json, row, "pending_request", json.constructType(PendingRequest.class));
        p.turns = row.getInteger("turns");
        p.costUsd = row.getDouble("cost_usd");
        p.lastProgressAt = instant(row, "last_progress_at");
        p.cancelRequestedBy = row.getString("cancel_requested_by");
        p.outcomeReason = row.getString("outcome_reason");
        p.finishedAt = instant(row, "finished_at");
        return p.done();
    }

    private static Instant instant(Row row, String column) {
        return Rows.instant(row.getOffsetDateTime(column));
    }
}
