package dev.afk.controlplane.workspace;

import io.smallrye.mutiny.Uni;
import java.util.Set;

/**
 * The runs whose worktrees must stay on disk: active runs and FROZEN ones (kept for forensics
 * until their repository is unfrozen). Housekeeping removes every other worktree it finds.
 */
public interface LiveRuns {

    Uni<Set<String>> liveRunIds();
}
