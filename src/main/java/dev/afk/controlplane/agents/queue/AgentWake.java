package dev.afk.controlplane.agents.queue;

import io.smallrye.mutiny.Uni;

/** Starts a stopped agent before an answer is relayed to it, when the agent's owner asked for that. */
public interface AgentWake {

    /** True when the agent was stopped, wants waking, and was started. */
    Uni<Boolean> wakeIfWanted(String agent);
}
