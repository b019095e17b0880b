package dev.afk.controlplane.tracker;

import dev.afk.controlplane.common.RepoSlug;

/** An issue that blocks another; it blocks only while open. */
public record Blocker(RepoSlug repo, int number, boolean open) {}
