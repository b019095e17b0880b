package dev.afk.controlplane.tracker;

import dev.afk.controlplane.common.RepoSlug;

/**
 * A CDI event: a tracker saw an issue opened or edited (a webhook). A nudge only: whoever observes
 * it must also poll, since deliveries can be lost.
 */
public record IssueChanged(RepoSlug repo, int number, String action) {}
