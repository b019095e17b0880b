package dev.afk.controlplane.afk.runs;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.common.RunId;
import java.time.Instant;

/**
 * One attempt to take an issue from a trusted label to a healthy deploy. {@code progress} is what
 * the decision function owns; the executor's and workspace's references and the checklist comment
 * are written by effects once the executor, the workspace and GitHub have accepted them. Fields come
 * in small groups of their own type, so that a swapped argument does not compile; {@link RunRows}
 * is the one place that maps them to columns.
 */
public record Run(
        RunId id,
        Release release,
        String prompt,
        RunSettings settings,
        Instant createdAt,
        RunId retryOf,
        Progress progress,
        ExecutorRefs executor,
        Workspace workspace,
        Long checklistCommentId,
        int version) {

    /** The issue and who released it to the agent (a trusted label, or an operator's retry). */
    public record Release(RepoSlug repo, int issue, String title, String labelledBy, Instant labelledAt) {}

    /** The executor's ids for the run's work, once it accepted them. */
    public record ExecutorRefs(String projectId, String threadId) {
        public static final ExecutorRefs NONE = new ExecutorRefs(null, null);
    }

    /** The run's worktree and branch, once the workspace prepared them. */
    public record Workspace(String worktreePath, String branch) {
        public static final Workspace NONE = new Workspace(null, null);
    }

    /** A new run, queued and not yet dispatched; {@code retryOf} is the run an operator retried, or null. */
    public static Run queued(RunId id, Release release, String prompt, RunSettings settings, Instant createdAt, RunId retryOf) {
        return new Run(id, release, prompt, settings, createdAt, retryOf, Progress.queued(), ExecutorRefs.NONE, Workspace.NONE,
                null, 0);
    }

    public RunState state() {
        return progress.state();
    }

    /** The repository of the run's issue (short for {@code release().repo()}). */
    public RepoSlug repo() {
        return release.repo();
    }

    /** The issue's number (short for {@code release().issue()}). */
    public int issue() {
        return release.issue();
    }

    /** The run after a committed decision: its new progress, one version on. */
    public Run withProgress(Progress next) {
        return new Run(id, release, prompt, settings, createdAt, retryOf, next, executor, workspace, checklistCommentId, version + 1);
    }
}
