package dev.afk.controlplane.agents.nativekind;

import dev.afk.controlplane.agents.runtime.AgentRuntime;
import dev.afk.controlplane.agents.runtime.AgentSpec;
import dev.afk.controlplane.agents.runtime.AgentStatus;
import dev.afk.controlplane.agents.runtime.Feature;
import dev.afk.controlplane.agents.runtime.RuntimeKind;
import dev.afk.controlplane.agents.runtime.TaskOutcome;
import dev.afk.controlplane.agents.runtime.TaskRequest;
import dev.afk.controlplane.agents.runtime.TaskSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Native agents: no process of their own. Running or stopped is the durable desired state the
 * registry stores (a node type may act on start and stop, and report a finer status); tasks run
 * in-process on the agent's node type, or live wherever its task source keeps them.
 */
@ApplicationScoped
public class NativeRuntime implements AgentRuntime {

    private static final Logger LOG = Logger.getLogger(NativeRuntime.class);

    private final NodeTypes nodeTypes;
    private final Fleet fleet;

    NativeRuntime(NodeTypes nodeTypes, Fleet fleet) {
        this.nodeTypes = nodeTypes;
        this.fleet = fleet;
    }

    @Override
    public RuntimeKind kind() {
        return RuntimeKind.NATIVE;
    }

    @Override
    public Set<Feature> features(AgentSpec agent) {
        return nodeTypes.find(agent.nodeType()).map(NodeType::features).orElse(Feature.NATIVE_DEFAULT);
    }

    @Override
    public Uni<String> status(AgentSpec agent) {
        return nodeTypes.find(agent.nodeType()).map(type -> type.status(agent))
                .orElseGet(() -> Uni.createFrom().item(statusOf(agent)));
    }

    /** Running exactly when an operator wants it running. */
    public static String statusOf(AgentSpec agent) {
        return agent.wantsRunning() ? AgentStatus.RUNNING : AgentStatus.STOPPED;
    }

    @Override
    public Uni<Void> start(AgentSpec agent) {
        return nodeTypes.find(agent.nodeType()).map(type -> type.start(agent)).orElseGet(() -> Uni.createFrom().voidItem());
    }

    @Override
    public Uni<Void> stop(AgentSpec agent) {
        return nodeTypes.find(agent.nodeType()).map(type -> type.stop(agent)).orElseGet(() -> Uni.createFrom().voidItem());
    }

    @Override
    public Optional<TaskSource> taskSource(AgentSpec agent) {
        return nodeTypes.find(agent.nodeType()).flatMap(NodeType::taskSource);
    }

    @Override
    public Uni<TaskOutcome> execute(AgentSpec agent, TaskRequest task) {
        return nodeTypes.find(agent.nodeType())
                .map(type -> Uni.createFrom().deferred(() -> type.execute(agent, task, fleet))
                        .onFailure().recoverWithItem(e -> {
                            LOG.warnf(e, "Node type %s failed task %s of %s", type.name(), task.id(), agent.name());
                            return TaskOutcome.failed("agent_error", "The node type failed: " + e.getClass().getSimpleName());
                        }))
                .orElseGet(() -> Uni.createFrom().item(TaskOutcome.failed("node_type_unavailable",
                        "This service has no node type '" + agent.nodeType() + "'")));
    }
}
