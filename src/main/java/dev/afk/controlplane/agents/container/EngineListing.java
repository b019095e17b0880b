package dev.afk.controlplane.agents.container;

import java.util.List;

/** The agent containers, or why they could not be listed. */
public record EngineListing(boolean available, List<AgentContainer> containers, String problem) {

    public static EngineListing of(List<AgentContainer> containers) {
        return new EngineListing(true, List.copyOf(containers), null);
    }

    public static EngineListing unavailable(String problem) {
        return new EngineListing(false, List.of(), problem);
    }
}
