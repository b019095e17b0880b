package dev.afk.controlplane.status;

import dev.afk.controlplane.afk.dispatch.DryRun;
import dev.afk.controlplane.afk.dispatch.DispatchVerdict;
import dev.afk.controlplane.afk.dispatch.PollProblems;
import dev.afk.controlplane.afk.killswitch.KillSwitch;
import dev.afk.controlplane.common.RepoSlug;
import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.StreamSupport;

/** Gathers the {@link Overview}: a handful of reads, none of which changes anything. */
@ApplicationScoped
public class OverviewService {

    private static final int FINISHED_SHOWN = 15;
    private static final int ERRORS_SHOWN = 10;

    private final Pool sql;
    private final KillSwitch killSwitch;
    private final DryRun dryRun;
    private final PollProblems pollProblems;
    private final SmallRyeHealthReporter health;
    private final Clock clock;

    OverviewService(Pool sql, KillSwitch killSwitch, DryRun dryRun, PollProblems pollProblems, SmallRyeHealthReporter health,
            Clock clock) {
        this.sql = sql;
        this.killSwitch = killSwitch;
        this.dryRun = dryRun;
        this.pollProblems = pollProblems;
        this.health = health;
        this.clock = clock;
    }

    public Uni<Overview> overview() {
        Uni<Map<String, Long>> byState = rows("select state, count(*) as n from afk_run group by state", r -> r)
                .map(OverviewService::countsByState);
        Uni<List<Overview.RunLine>> active = rows(runs("active", "seq desc", 100), OverviewService::runLine);
        Uni<List<Overview.RunLine>> finished = rows(runs("not active", "finished_at desc nulls last, seq desc", FINISHED_SHOWN),
                OverviewService::runLine);
        Uni<List<Overview.RepoLine>> repos = rows("select repo, paused, frozen_by_run, frozen_at, workflow_error from afk_repo order by repo",
                r -> new Overview.RepoLine(r.getString("repo"), r.getBoolean("paused"), r.getUUID("frozen_by_run") != null,
                        r.getOffsetDateTime("frozen_at"), r.getString("workflow_error")));
        // The kill switch and the dry run read through the Hibernate session, which takes one
        // operation at a time: they go first, one after the other; the plain queries then run together.
        return killSwitch.state().chain(ks -> dryRun.plan().chain(plans -> Uni.combine().all()
                .unis(byState, active, finished, repos, lastErrors(), readiness(), doorbell()).asTuple()
                .map(t -> new Overview(OffsetDateTime.now(clock),
                        new Overview.KillSwitch(ks.engaged(), ks.forced(), ks.reason(), ks.changedBy()),
                        t.getItem1(), t.getItem2(), t.getItem3(), queue(plans), withReadProblems(t.getItem4(), plans),
                        t.getItem5(), health(t.getItem6(), plans, t.getItem7())))));
    }

    private static String runs(String where, String order, int limit) {
        return """
                select r.id, r.repo, r.issue, r.title, r.state, r.outcome_reason, r.pending_request ->> 'text' as asked,
                       coalesce((select max(e.at) from afk_run_event e where e.run_id = r.id), r.created_at) as since
                from afk_run r where %s order by %s limit %d""".formatted(where, order, limit);
    }

    private static Overview.RunLine runLine(Row r) {
        String why = r.getString("outcome_reason") != null ? r.getString("outcome_reason") : r.getString("asked");
        return new Overview.RunLine(r.getUUID("id").toString(), r.getString("repo"), r.getInteger("issue"), r.getString("title"),
                r.getString("state"), r.getOffsetDateTime("since"), why);
    }

    private static Map<String, Long> countsByState(List<Row> rows) {
        Map<String, Long> counts = new LinkedHashMap<>();
        rows.stream().sorted(Comparator.comparing(r -> r.getString("state")))
                .forEach(r -> counts.put(r.getString("state"), r.getLong("n")));
        return counts;
    }

    /** Labelled issues without a run, each with the dispatch policy's verdict. */
    private static List<Overview.Waiting> queue(List<DryRun.RepoPlan> plans) {
        List<Overview.Waiting> waiting = new ArrayList<>();
        for (DryRun.RepoPlan plan : plans) {
            for (DispatchVerdict v : plan.candidates()) {
                waiting.add(new Overview.Waiting(plan.repo(), v.issue(), v.title(), v.dispatch(),
                        v.reason() == null ? null : v.reason().name(), v.detail()));
            }
        }
        return waiting;
    }

    /** A repository whose workflow file is unusable, whose poll fails or that cannot be read says so next to its name. */
    private List<Overview.RepoLine> withReadProblems(List<Overview.RepoLine> repos, List<DryRun.RepoPlan> plans) {
        Map<String, String> unreadable = new LinkedHashMap<>();
        plans.stream().filter(p -> p.unavailable() != null).forEach(p -> unreadable.put(p.repo(), p.unavailable()));
        return repos.stream().map(r -> {
            String problem = r.problem() != null ? r.problem()
                    : pollProblems.of(RepoSlug.parse(r.repo())).map(PollProblems.PollProblem::detail).orElse(unreadable.get(r.repo()));
            return new Overview.RepoLine(r.repo(), r.paused(), r.frozen(), r.frozenAt(), problem);
        }).toList();
    }

    /** Effects of runs and doorbell deliveries that failed last, newest first. */
    private Uni<List<Overview.Problem>> lastErrors() {
        return rows("""
                (select 'run effect ' || e.kind as source, r.repo || '#' || r.issue as subject, e.last_error as error,
                        e.created_at as at
                 from afk_run_effect e join afk_run r on r.id = e.run_id where e.last_error is not null
                 order by e.created_at desc limit %1$d)
                union all
                (select 'doorbell ' || d.channel, g.repo || '#' || g.issue, d.last_error, d.next_attempt_at
                 from doorbell_delivery d join doorbell_ring g on g.dedup_key = d.dedup_key where d.last_error is not null
                 order by d.next_attempt_at desc limit %1$d)
                order by at desc limit %1$d""".formatted(ERRORS_SHOWN),
                r -> new Overview.Problem(r.getString("source"), r.getString("subject"), r.getString("error"),
                        r.getOffsetDateTime("at")));
    }

    /** Every readiness check and health group, as the management interface reports them. */
    private Uni<List<Overview.Health>> readiness() {
        return Uni.combine().all().unis(health.getReadinessAsync(), health.getHealthGroupsAsync()).asTuple()
                .map(both -> {
                    Map<String, Overview.Health> byName = new LinkedHashMap<>();
                    for (SmallRyeHealth report : List.of(both.getItem1(), both.getItem2())) {
                        for (JsonValue check : report.getPayload().getJsonArray("checks")) {
                            Overview.Health h = health(check.asJsonObject());
                            byName.putIfAbsent(h.component(), h);
                        }
                    }
                    return List.copyOf(byName.values());
                });
    }

    private static Overview.Health health(JsonObject check) {
        JsonObject data = check.getJsonObject("data");
        String detail = data == null ? null : String.join(", ", data.entrySet().stream()
                .map(e -> e.getKey() + ": " + plain(e.getValue())).toList());
        return new Overview.Health(check.getString("name"), check.getString("status"), detail);
    }

    private static String plain(JsonValue value) {
        return value.getValueType() == JsonValue.ValueType.STRING ? ((jakarta.json.JsonString) value).getString() : value.toString();
    }

    /** The doorbell's outbox: deliveries being retried or given up on mean a channel is not reachable. */
    private Uni<Overview.Health> doorbell() {
        return rows("""
                select count(*) filter (where state = 'DELIVERED') as delivered,
                       count(*) filter (where state = 'PENDING' and attempts > 0) as retrying,
                       count(*) filter (where state = 'FAILED') as failed
                from doorbell_delivery""", r -> r).map(rows -> {
                    Row r = rows.getFirst();
                    long retrying = r.getLong("retrying");
                    long failed = r.getLong("failed");
                    String detail = r.getLong("delivered") + " delivered, " + retrying + " retrying, " + failed + " given up";
                    return new Overview.Health("Doorbell", retrying + failed == 0 ? "UP" : "DOWN", detail);
                });
    }

    /** The readiness checks, then the issue tracker as the dispatch plan saw it, then the doorbell. */
    private static List<Overview.Health> health(List<Overview.Health> checks, List<DryRun.RepoPlan> plans, Overview.Health doorbell) {
        List<Overview.Health> all = new ArrayList<>(checks);
        List<String> unreadable = plans.stream().filter(p -> p.unavailable() != null).map(p -> p.repo() + ": " + p.unavailable()).toList();
        all.add(plans.isEmpty()
                ? new Overview.Health("Issue tracker", "UNKNOWN", "no repository enrolled")
                : unreadable.isEmpty()
                        ? new Overview.Health("Issue tracker", "UP", plans.size() + (plans.size() == 1 ? " repository" : " repositories") + " read")
                        : new Overview.Health("Issue tracker", "DOWN", String.join("; ", unreadable)));
        all.add(doorbell);
        return all;
    }

    private <T> Uni<List<T>> rows(String query, Function<Row, T> mapping) {
        return sql.query(query).execute().map(set -> rowList(set).stream().map(mapping).toList());
    }

    private static List<Row> rowList(RowSet<Row> set) {
        return StreamSupport.stream(set.spliterator(), false).toList();
    }
}
