package dev.afk.controlplane.afk.judgment;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.tracker.Issue;
import dev.afk.controlplane.tracker.IssueTracker;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The one triage comment per issue ({@code triage_comment}): its id, so it is edited in place, and
 * when it was written, so a poll re-triages only issues changed since. A comment created but not
 * stored before a crash is found again by its hidden marker.
 */
@ApplicationScoped
class TriageComments {

    private final Pool pool;
    private final IssueTracker tracker;

    TriageComments(Pool pool, IssueTracker tracker) {
        this.pool = pool;
        this.tracker = tracker;
    }

    /** When the issue was last triaged, if ever. */
    Uni<Optional<Instant>> triagedAt(RepoSlug repo, int issue) {
        return row(repo, issue).map(row -> row.map(r -> r.getOffsetDateTime("triaged_at").toInstant()));
    }

    Uni<Long> upsert(RepoSlug repo, Issue issue, String body, Instant now) {
        return row(repo, issue.number())
                .map(row -> row.map(r -> r.getLong("comment_id")))
                .flatMap(stored -> stored.isPresent() ? Uni.createFrom().item(stored)
                        : tracker.findComment(repo, issue.number(), TriageNodeType.MARKER))
                .flatMap(existing -> tracker.upsertComment(repo, issue.number(), existing, body))
                .call(id -> pool.preparedQuery("""
                                insert into triage_comment (repo, issue, comment_id, issue_updated_at, triaged_at)
                                values ($1, $2, $3, $4, $5)
                                on conflict (repo, issue) do update set comment_id = $3, issue_updated_at = $4, triaged_at = $5""")
                        .execute(Tuple.of(repo.toString(), issue.number(), id, utc(issue.updatedAt()), utc(now))));
    }

    private Uni<Optional<Row>> row(RepoSlug repo, int issue) {
        return pool.preparedQuery("select comment_id, triaged_at from triage_comment where repo = $1 and issue = $2")
                .execute(Tuple.of(repo.toString(), issue))
                .map(RowSet::iterator)
                .map(rows -> rows.hasNext() ? Optional.of(rows.next()) : Optional.empty());
    }

    private static OffsetDateTime utc(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }
}
