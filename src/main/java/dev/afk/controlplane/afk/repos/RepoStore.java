package dev.afk.controlplane.afk.repos;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.afk.controlplane.afk.Rows;
import dev.afk.controlplane.ci.CiVerdicts.Deployment;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.common.RunId;
import dev.afk.controlplane.tracker.PullRequest.MergeMethod;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** SQL for enrolled repositories. Every method takes the client so it can join a caller's transaction. */
@ApplicationScoped
public class RepoStore {

    private static final TypeReference<List<Deployment>> DEPLOYMENTS = new TypeReference<>() {};

    private final ObjectMapper json;

    RepoStore(ObjectMapper json) {
        this.json = json;
    }

    public Uni<Repo> insert(SqlClient sql, Repo repo) {
        return sql.preparedQuery("""
                        insert into afk_repo (repo, default_branch, clone_url, ready_label, in_progress_label, human_label,
                            ci_stages, required_checks, deployments, image_template, executor_model, caps, paused,
                            enrolled_by, enrolled_at, updated_at, landing, merge_method)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12::jsonb, $13, $14, $15, $15, $16, $17)""")
                .execute(Tuple.from(Arrays.asList(repo.slug().toString(), repo.defaultBranch(), repo.cloneUrl(),
                        repo.labels().ready(), repo.labels().inProgress(), repo.labels().human(),
                        repo.ciStages().stream().map(Enum::name).toArray(String[]::new),
                        repo.requiredChecks().toArray(String[]::new),
                        Rows.jsonb(json, repo.deployments()), repo.imageTemplate(), repo.executorModel(), Rows.jsonb(json, repo.caps()),
                        repo.paused(), repo.enrolledBy(), Rows.at(repo.enrolledAt()), repo.landing().mode().wire(),
                        mergeMethod(repo.landing()))))
                .onFailure(Rows::uniqueViolation)
                .transform(e -> new RepoProblems.AlreadyEnrolled(repo.slug()))
                .replaceWith(repo);
    }

    public Uni<Optional<Repo>> find(SqlClient sql, RepoSlug slug) {
        return sql.preparedQuery("select * from afk_repo where repo = $1").execute(Tuple.of(slug.toString()))
                .map(rows -> Rows.first(rows, this::repo));
    }

    /** Like {@link #find} but locks the row for the caller's transaction. */
    public Uni<Optional<Repo>> findForUpdate(SqlClient sql, RepoSlug slug) {
        return sql.preparedQuery("select * from afk_repo where repo = $1 for update").execute(Tuple.of(slug.toString()))
                .map(rows -> Rows.first(rows, this::repo));
    }

    /** Whether a run of the repository is open (active, or its effects still pending). */
    public Uni<Boolean> hasOpenRun(SqlClient sql, RepoSlug slug) {
        return sql.preparedQuery("select exists (select 1 from afk_run where repo = $1 and (active or effects_pending)) as open")
                .execute(Tuple.of(slug.toString()))
                .map(rows -> rows.iterator().next().getBoolean("open"));
    }

    public Uni<List<Repo>> list(SqlClient sql) {
        return sql.query("select * from afk_repo order by repo").execute().map(this::repos);
    }

    public Uni<Boolean> setPaused(SqlClient sql, RepoSlug slug, boolean paused, Instant now) {
        return update(sql, "update afk_repo set paused = $2, updated_at = $3 where repo = $1",
                Tuple.of(slug.toString(), paused, Rows.at(now)));
    }

    /** Holds the repository for the run; the first freeze wins until an admin releases it. */
    public Uni<Boolean> freeze(SqlClient sql, RepoSlug slug, RunId runId, Instant now) {
        return update(sql, """
                        update afk_repo set frozen_by_run = coalesce(frozen_by_run, $2), frozen_at = coalesce(frozen_at, $3),
                            updated_at = $3 where repo = $1""",
                Tuple.of(slug.toString(), runId.value(), Rows.at(now)));
    }

    public Uni<Boolean> unfreeze(SqlClient sql, RepoSlug slug, Instant now) {
        return update(sql, """
                        update afk_repo set frozen_by_run = null, frozen_at = null, updated_at = $2
                        where repo = $1 and frozen_by_run is not null""",
                Tuple.of(slug.toString(), Rows.at(now)));
    }

    /** Replaces the settings an update may change: labels, CI, deployments, model, caps, landing. */
    public Uni<Boolean> updateSettings(SqlClient sql, Repo repo, Instant now) {
        return update(sql, """
                        update afk_repo set ready_label = $2, in_progress_label = $3, human_label = $4, ci_stages = $5,
                            required_checks = $6, deployments = $7::jsonb, image_template = $8, executor_model = $9,
                            caps = $10::jsonb, updated_at = $11, landing = $12, merge_method = $13 where repo = $1""",
                Tuple.from(Arrays.asList(repo.slug().toString(), repo.labels().ready(), repo.labels().inProgress(),
                        repo.labels().human(), repo.ciStages().stream().map(Enum::name).toArray(String[]::new),
                        repo.requiredChecks().toArray(String[]::new), Rows.jsonb(json, repo.deployments()), repo.imageTemplate(),
                        repo.executorModel(), Rows.jsonb(json, repo.caps()), Rows.at(now), repo.landing().mode().wire(),
                        mergeMethod(repo.landing()))));
    }

    public Uni<Boolean> delete(SqlClient sql, RepoSlug slug) {
        return update(sql, "delete from afk_repo where repo = $1", Tuple.of(slug.toString()));
    }

    /** One entry of a repository's enrollment audit. */
    public record Change(String action, String detail, String changedBy, Instant changedAt) {}

    public Uni<Void> audit(SqlClient sql, RepoSlug slug, Change change) {
        return sql.preparedQuery("insert into afk_repo_change (repo, action, detail, changed_by, changed_at) values ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(slug.toString(), change.action(), change.detail(), change.changedBy(), Rows.at(change.changedAt())))
                .replaceWithVoid();
    }

    /** The repository's enrollment changes, newest first (also after it was un-enrolled). */
    public Uni<List<Change>> history(SqlClient sql, RepoSlug slug, int limit) {
        return sql.preparedQuery("select * from afk_repo_change where repo = $1 order by id desc limit $2")
                .execute(Tuple.of(slug.toString(), limit))
                .map(rows -> Rows.all(rows, row -> new Change(row.getString("action"), row.getString("detail"),
                        row.getString("changed_by"), Rows.instant(row.getOffsetDateTime("changed_at")))));
    }

    public Uni<Boolean> setWorkflowError(SqlClient sql, RepoSlug slug, String error) {
        return update(sql, "update afk_repo set workflow_error = $2 where repo = $1 and workflow_error is distinct from $2",
                Tuple.of(slug.toString(), error));
    }

    private static Uni<Boolean> update(SqlClient sql, String statement, Tuple args) {
        return sql.preparedQuery(statement).execute(args).map(rows -> rows.rowCount() > 0);
    }

    private static Landing landing(Row row) {
        String method = row.getString("merge_method");
        return new Landing(Landing.Mode.ofWire(row.getString("landing")),
                method == null ? null : MergeMethod.valueOf(method.toUpperCase(Locale.ROOT)));
    }

    private static String mergeMethod(Landing landing) {
        return landing.mergeMethod() == null ? null : landing.mergeMethod().name().toLowerCase(Locale.ROOT);
    }

    private List<Repo> repos(RowSet<Row> rows) {
        return Rows.all(rows, this::repo);
    }

    private Repo repo(Row row) {
        UUID frozenBy = row.getUUID("frozen_by_run");
        return new Repo(
                RepoSlug.parse(row.getString("repo")),
                row.getString("default_branch"),
                row.getString("clone_url"),
                new RepoLabels(row.getString("ready_label"), row.getString("in_progress_label"), row.getString("human_label")),
                Arrays.stream(row.getArrayOfStrings("ci_stages")).map(Stage::valueOf).toList(),
                List.of(row.getArrayOfStrings("required_checks")),
                Rows.fromJsonb(json, row, "deployments", json.getTypeFactory().constructType(DEPLOYMENTS)),
                row.getString("image_template"),
                row.getString("executor_model"),
                Rows.fromJsonb(json, row, "caps", json.constructType(Caps.class)),
                landing(row),
                row.getBoolean("paused"),
                frozenBy == null ? null : new RunId(frozenBy),
                Rows.instant(row.getOffsetDateTime("frozen_at")),
                row.getString("workflow_error"),
                row.getString("enrolled_by"),
                Rows.instant(row.getOffsetDateTime("enrolled_at")),
                Rows.instant(row.getOffsetDateTime("updated_at")));
    }
}
