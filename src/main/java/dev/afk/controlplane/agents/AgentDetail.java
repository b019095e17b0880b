package dev.afk.controlplane.agents;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.afk.controlplane.agents.runtime.Feature;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One agent in full: its summary plus the {@code features} it supports, what the caller may do,
 * and (for those who may share it) its shares.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentDetail(@JsonUnwrapped AgentView agent, Set<Feature> features, Map<String, Object> nodeConfig,
        Integer maxParallelTasks, Boolean wakeOnAnswer, Integer activeTasks, boolean canShare, boolean canDelete, List<AgentShare> shares,
        ContainerInfo container) {

    /** What the container's labels say (container agents whose container exists). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ContainerInfo(String id, String state, Integer sshPort, String cpu, String memory, String template,
            String baseImageVersion) {}
}
