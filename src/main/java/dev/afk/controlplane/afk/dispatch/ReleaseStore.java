package dev.afk.controlplane.afk.dispatch;

import dev.afk.controlplane.afk.Rows;
import dev.afk.controlplane.afk.dispatch.DispatchVerdict.Reason;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.tracker.LabelEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** SQL for what trusted labels released ({@code afk_release}): one pin per label event of an issue. */
@ApplicationScoped
public class ReleaseStore {

    /** A release dispatch refuses, as the repository's status shows it. */
    public record Refusal(int issue, String labelledBy, Instant labelledAt, String reason) {}

    /** The candidate with the pin of its latest label event, if the pipeline has seen that event before. */
    Uni<Candidate> withPin(SqlClient sql, RepoSlug repo, Candidate candidate) {
        if (candidate.lastLabelled().isEmpty()) {
            return Uni.createFrom().item(candidate);
        }
        Instant labelledAt = candidate.lastLabelled().get().at();
        return sql.preparedQuery("select content_sha256 from afk_release where repo = $1 and issue = $2 and labelled_at = $3")
                .execute(Tuple.of(repo.toString(), candidate.issue().number(), Rows.at(labelledAt)))
                .map(rows -> candidate.withPin(Rows.first(rows, row -> new Pin(labelledAt, row.getString("content_sha256")))));
    }

    /**
     * Records what the poller learnt from one verdict: the pin of a label event seen for the first
     * time, and whether dispatch refuses that release because its content changed.
     */
    Uni<Void> record(SqlClient sql, RepoSlug repo, Candidate candidate, DispatchVerdict verdict, Instant now) {
        Optional<LabelEvent> label = candidate.lastLabelled();
        if (label.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Tuple key = Tuple.of(repo.toString(), candidate.issue().number(), Rows.at(label.get().at()));
        Uni<Void> pinned = DispatchPolicy.firstSight(candidate)
                .map(pin -> sql.preparedQuery("""
                                insert into afk_release (repo, issue, labelled_at, labelled_by, content_sha256, pinned_at)
                                values ($1, $2, $3, $4, $5, $6) on conflict do nothing""")
                        .execute(Tuple.from(Arrays.asList(repo.toString(), candidate.issue().number(), Rows.at(pin.labelledAt()),
                                label.get().actor(), pin.contentSha256(), Rows.at(now))))
                        .replaceWithVoid())
                .orElse(Uni.createFrom().voidItem());
        String refused = verdict.reason() == Reason.EDITED_AFTER_LABEL ? verdict.detail() : null;
        return pinned.chain(() -> sql.preparedQuery("""
                        update afk_release set refused = $4
                        where repo = $1 and issue = $2 and labelled_at = $3 and refused is distinct from $4""")
                .execute(key.addString(refused))
                .replaceWithVoid());
    }

    /** The newest refused release of each issue of the repository. */
    public Uni<List<Refusal>> refusals(SqlClient sql, RepoSlug repo) {
        return sql.preparedQuery("""
                        select distinct on (issue) issue, labelled_by, labelled_at, refused from afk_release
                        where repo = $1 order by issue, labelled_at desc""")
                .execute(Tuple.of(repo.toString()))
                .map(rows -> Rows.all(rows, row -> new Refusal(row.getInteger("issue"), row.getString("labelled_by"),
                        Rows.instant(row.getOffsetDateTime("labelled_at")), row.getString("refused")))
                        .stream().filter(r -> r.reason() != null).toList());
    }
}
