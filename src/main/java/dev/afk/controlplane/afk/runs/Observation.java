package dev.afk.controlplane.afk.runs;

import dev.afk.controlplane.ci.CiVerdicts.Verdict;
import dev.afk.controlplane.executor.Executor.ThreadObservation;
import dev.afk.controlplane.tracker.Commit;
import dev.afk.controlplane.tracker.Issue;
import java.time.Instant;
import java.util.Optional;

/**
 * What the reconciler saw of the world for one run, all at one moment.
 *
 * @param issue the issue as the tracker has it; empty if it no longer exists
 * @param thread the executor's view of the run's thread ({@code unknown()} before dispatch)
 * @param newestCommit the newest commit on the default branch carrying this run's {@code AFK-Run} trailer
 * @param verdict CI's verdict on {@code newestCommit}, when it was asked
 * @param failedEffect a description of an effect that kept failing, if any
 */
public record Observation(
        Instant now,
        Optional<Issue> issue,
        ThreadObservation thread,
        Optional<Commit> newestCommit,
        Optional<Verdict> verdict,
        Optional<String> failedEffect) {}
