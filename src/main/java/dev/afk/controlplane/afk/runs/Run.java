package dev.afk.controlplane.afk.runs;

import dev.afk.controlplane.common.RepoSlug;
import java.time.Instant;

/**
 * One attempt to take an issue from a trusted label to a healthy deploy. {@code progress} is what
 * the decision function owns; the ids below it are written by effects once the executor and the
 * workspace have accepted them.
 */
public record Run(
        String id,
        RepoSlug repo,
        int issue,
        String title,
        String prompt,
        RunSettings settings,
        String labelledBy,
        Instant labelledAt,
        Instant createdAt,
        String retryOf,
        Progress progress,
        String projectId,
        String threadId,
        String worktreePath,
        String branch,
        Long checklistCommentId,
        int version) {

    public RunState state() {
        return progress.state();
    }
}
