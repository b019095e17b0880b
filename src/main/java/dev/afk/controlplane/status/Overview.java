package dev.afk.controlplane.status;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * The state of the install at a glance: what the status page shows and {@code GET /api/afk/overview}
 * returns. Read-only; built from the database, the dispatch dry run and the readiness checks.
 */
public record Overview(
        OffsetDateTime at,
        KillSwitch killSwitch,
        Map<String, Long> runsByState,
        List<RunLine> activeRuns,
        List<RunLine> finishedRuns,
        List<Waiting> queue,
        List<RepoLine> repos,
        List<Problem> lastErrors,
        List<Health> health) {

    public record KillSwitch(boolean engaged, boolean forced, String reason, String changedBy) {}

    /** A run; {@code since}: its last transition; {@code why}: the reason it ended, or what it waits on. */
    public record RunLine(String id, String repo, int issue, String title, String state, OffsetDateTime since, String why) {}

    /** A labelled issue not running: whether it would be dispatched now, and if not, why it waits. */
    public record Waiting(String repo, int issue, String title, boolean dispatchable, String reason, String detail) {}

    /** An enrolled repository; {@code problem}: why it cannot be read or its workflow file is unusable. */
    public record RepoLine(String repo, boolean paused, boolean frozen, OffsetDateTime frozenAt, String problem) {}

    /** A recent failure: where ({@code source}), what, and when. */
    public record Problem(String source, String subject, String error, OffsetDateTime at) {}

    /** One component: UP, DOWN or UNKNOWN, and what it said. */
    public record Health(String component, String status, String detail) {}
}
