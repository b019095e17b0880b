package dev.afk.controlplane.afk.runs;

import dev.afk.controlplane.ci.CiVerdicts.Verdict;
import dev.afk.controlplane.executor.Executor.ThreadObservation;
import dev.afk.controlplane.tracker.Commit;
import dev.afk.controlplane.tracker.Issue;
import dev.afk.controlplane.tracker.PullRequest;
import java.time.Instant;
import java.util.Optional;

/**
 * What the reconciler saw of the world for one run, all at one moment.
 *
 * @param issue the issue as the tracker has it; empty if it no longer exists
 * @param thread the executor's view of the run's thread ({@code unknown()} before dispatch)
 * @param newestCommit the newest commit carrying this run's {@code AFK-Run} trailer where the agent
 *     pushes: the default branch, or the run's own branch while its pull request is not merged
 * @param verdict CI's verdict on the commit the run waits on ({@code newestCommit}, or the merge
 *     commit of its pull request), when it was asked
 * @param failedEffect a description of an effect that kept failing, if any
 * @param pullRequest the pull request from the run's branch, in any state; always empty for a run that pushes
 * @param mergeRefusals how many times the forge refused to merge it, as the run's timeline recorded
 */
public record Observation(
        Instant now,
        Optional<Issue> issue,
        ThreadObservation thread,
        Optional<Commit> newestCommit,
        Optional<Verdict> verdict,
        Optional<String> failedEffect,
        Optional<PullRequest> pullRequest,
        int mergeRefusals) {

    /** What a run that pushes to the default branch sees: no pull request. */
    public Observation(Instant now, Optional<Issue> issue, ThreadObservation thread, Optional<Commit> newestCommit,
            Optional<Verdict> verdict, Optional<String> failedEffect) {
        this(now, issue, thread, newestCommit, verdict, failedEffect, Optional.empty(), 0);
    }

    /** The run's pull request, once the forge merged it. */
    public Optional<PullRequest> merged() {
        return pullRequest.filter(pull -> pull.state() == PullRequest.State.MERGED);
    }
}
