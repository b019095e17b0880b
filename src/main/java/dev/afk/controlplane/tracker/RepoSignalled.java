package dev.afk.controlplane.tracker;

import dev.afk.controlplane.common.RepoSlug;

/** A committed signal for {@code repo}: this replica may drain it now. */
public record RepoSignalled(RepoSlug repo) {
}
