package dev.afk.controlplane.agents.runtime;

import java.util.List;
import java.util.Map;

/**
 * What a runtime needs to know about one agent.
 *
 * @param harness      the in-container CLI (container agents; may be null)
 * @param nodeType     the node type name (native agents)
 * @param nodeConfig   the node type's configuration (native agents; never null)
 * @param desiredState running or stopped, as an operator last asked
 */
public record AgentSpec(String name, String owner, RuntimeKind kind, String harness, String nodeType,
        Map<String, Object> nodeConfig, List<String> tags, String desiredState) {

    public AgentSpec {
        nodeConfig = nodeConfig == null ? Map.of() : nodeConfig;
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public boolean wantsRunning() {
        return AgentStatus.RUNNING.equals(desiredState);
    }
}
