package dev.afk.controlplane.agents;

import dev.afk.controlplane.agents.nativekind.Fleet;
import dev.afk.controlplane.agents.nativekind.NodeType;
import dev.afk.controlplane.agents.runtime.AgentSpec;
import dev.afk.controlplane.agents.runtime.TaskOutcome;
import dev.afk.controlplane.agents.runtime.TaskRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/** A node type whose tasks run until they are cancelled: a task that is still running, on demand. */
@ApplicationScoped
public class HoldingNodeType implements NodeType {

    static final String NAME = "test-holding";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> validate(Map<String, Object> config) {
        return List.of();
    }

    @Override
    public Uni<TaskOutcome> execute(AgentSpec agent, TaskRequest task, Fleet fleet) {
        return Uni.createFrom().emitter(emitter -> {});
    }
}
