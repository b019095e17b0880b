package dev.afk.controlplane.workspace;

import dev.afk.controlplane.common.RepoSlug;
import io.smallrye.mutiny.Uni;
import java.util.Set;

/**
 * Working trees for runs: one persistent checkout per repository, one worktree per run, on a
 * volume the executor also mounts. All git work happens off the event loop.
 */
public interface Workspaces {

    /** The persistent checkout's path for the repository (the executor project's root). */
    String checkoutPath(RepoSlug repo);

    /** Fetches, then adds the run's worktree on a new branch off the default branch. Idempotent per run. */
    Uni<Worktree> prepare(Request request);

    /** Removes the run's worktree and branch, or keeps them ({@code keep}) for forensics. Idempotent. */
    Uni<Void> release(RepoSlug repo, String runId, boolean keep);

    /** Prunes, garbage-collects and evicts; never touches the worktrees of {@code liveRunIds}. */
    Uni<Housekeeping> housekeep(Set<String> liveRunIds);

    record Request(RepoSlug repo, String cloneUrl, String defaultBranch, String runId, int issue) {}

    record Worktree(String path, String branch, String baseSha) {}

    record Housekeeping(int worktreesRemoved, int checkoutsEvicted, long bytesUsed) {}
}
