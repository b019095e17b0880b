package dev.afk.controlplane.agents.container;

import dev.afk.controlplane.agents.runtime.AgentStatus;
import java.util.Set;

/** Trinity's mapping of engine states to agent status. */
public final class ContainerStatus {

    private static final Set<String> STOPPED = Set.of("exited", "dead", "created", "restarting");

    private ContainerStatus() {}

    /** exited, dead, created, restarting → stopped; running → running; anything else passes through. */
    public static String of(String engineState) {
        if (engineState == null) {
            return AgentStatus.UNKNOWN;
        }
        String state = engineState.toLowerCase();
        return STOPPED.contains(state) ? AgentStatus.STOPPED : state;
    }
}
