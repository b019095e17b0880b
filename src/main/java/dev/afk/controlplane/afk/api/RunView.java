package dev.afk.controlplane.afk.api;

import dev.afk.controlplane.afk.runs.Run;
import dev.afk.controlplane.afk.runs.RunState;
import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.executor.Executor.PendingRequest;
import java.net.URI;
import java.time.Instant;

/** A run as operators see it. */
public record RunView(
        String id,
        String repo,
        int issue,
        String title,
        RunState state,
        String labelledBy,
        Instant labelledAt,
        Instant createdAt,
        Instant dispatchedAt,
        String commitSha,
        Outcome lastVerdict,
        int fixForwardAttempts,
        Instant firstRedAt,
        PendingRequest pendingRequest,
        Integer turns,
        Double costUsd,
        String outcomeReason,
        Instant finishedAt,
        String threadId,
        URI threadLink,
        String worktreePath,
        String retryOf) {

    static RunView of(Run r, URI threadLink) {
        var p = r.progress();
        var release = r.release();
        return new RunView(r.id().toString(), r.repo().toString(), r.issue(), release.title(), p.state(), release.labelledBy(),
                release.labelledAt(), r.createdAt(), p.dispatchedAt(), p.commitSha(), p.lastVerdict(), p.fixForwardAttempts(),
                p.firstRedAt(), p.pendingRequest(), p.turns(), p.costUsd(), p.outcomeReason(), p.finishedAt(),
                r.executor().threadId(), threadLink, r.workspace().worktreePath(), r.retryOf() == null ? null : r.retryOf().toString());
    }
}
