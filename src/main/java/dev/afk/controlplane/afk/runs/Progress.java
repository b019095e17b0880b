package dev.afk.controlplane.afk.runs;

import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.executor.Executor.PendingRequest;
import java.time.Instant;

/**
 * The part of a run the decision function owns: its state and the facts it judges by. Effects
 * never write here; they write the executor and workspace ids kept on {@link Run}.
 */
public record Progress(
        RunState state,
        Instant dispatchedAt,
        Instant attemptStartedAt,
        String commitSha,
        Instant ciSince,
        Outcome lastVerdict,
        Instant firstRedAt,
        int fixForwardAttempts,
        String waitingPastSha,
        Instant fixSentAt,
        PendingRequest pendingRequest,
        Integer turns,
        Double costUsd,
        Instant lastProgressAt,
        String cancelRequestedBy,
        String outcomeReason,
        Instant finishedAt) {

    public static Progress queued() {
        return new Progress(RunState.QUEUED, null, null, null, null, null, null, 0, null, null, null, null, null, null,
                null, null, null);
    }

    public Edit edit() {
        return new Edit(this);
    }

    /** A copy to change a few fields of; records have no withers. */
    public static final class Edit {
        public RunState state;
        public Instant dispatchedAt;
        public Instant attemptStartedAt;
        public String commitSha;
        public Instant ciSince;
        public Outcome lastVerdict;
        public Instant firstRedAt;
        public int fixForwardAttempts;
        public String waitingPastSha;
        public Instant fixSentAt;
        public PendingRequest pendingRequest;
        public Integer turns;
        public Double costUsd;
        public Instant lastProgressAt;
        public String cancelRequestedBy;
        public String outcomeReason;
        public Instant finishedAt;

        private Edit(Progress p) {
            state = p.state;
            dispatchedAt = p.dispatchedAt;
            attemptStartedAt = p.attemptStartedAt;
            commitSha = p.commitSha;
            ciSince = p.ciSince;
            lastVerdict = p.lastVerdict;
            firstRedAt = p.firstRedAt;
            fixForwardAttempts = p.fixForwardAttempts;
            waitingPastSha = p.waitingPastSha;
            fixSentAt = p.fixSentAt;
            pendingRequest = p.pendingRequest;
            turns = p.turns;
            costUsd = p.costUsd;
            lastProgressAt = p.lastProgressAt;
            cancelRequestedBy = p.cancelRequestedBy;
            outcomeReason = p.outcomeReason;
            finishedAt = p.finishedAt;
        }

        public Progress withState(RunState to) {
            state = to;
            return done();
        }

        public Progress done() {
            return new Progress(state, dispatchedAt, attemptStartedAt, commitSha, ciSince, lastVerdict, firstRedAt,
                    fixForwardAttempts, waitingPastSha, fixSentAt, pendingRequest, turns, costUsd, lastProgressAt,
                    cancelRequestedBy, outcomeReason, finishedAt);
        }
    }
}
