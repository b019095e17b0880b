package dev.afk.controlplane.tracker;

import dev.afk.controlplane.common.RepoSlug;
import java.time.Instant;
import java.util.Set;

public record Issue(RepoSlug repo, int number, String title, String body, boolean open, Set<String> labels, Instant updatedAt) {}
