package dev.afk.controlplane.afk.repos;

import dev.afk.controlplane.common.RepoSlug;

/** The registry agent that stands for an enrolled repository: its runs' notices also ring that agent's own channels. */
public interface RepoAgent {

    String agentOf(RepoSlug repo);
}
