package dev.afk.controlplane.agents;

import dev.afk.controlplane.agents.runtime.AgentSpec;
import dev.afk.controlplane.agents.runtime.AgentStatus;
import dev.afk.controlplane.agents.runtime.RegistryConfig;
import dev.afk.controlplane.agents.runtime.RuntimeKind;
import dev.afk.controlplane.agents.runtime.TaskOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Native agents that another part of the service keeps in step with something it owns (an
 * enrolled repository, say), rather than ones a user creates through the API. The caller names
 * them deterministically; calls are idempotent.
 */
@ApplicationScoped
public class NativeAgents {

    private static final Logger LOG = Logger.getLogger(NativeAgents.class);

    private final AgentStore store;
    private final TaskService tasks;
    private final int defaultCapacity;

    NativeAgents(AgentStore store, TaskService tasks, RegistryConfig config) {
        this.store = store;
        this.tasks = tasks;
        this.defaultCapacity = config.tasks().defaultCapacity();
    }

    /**
     * Creates the agent unless its name was ever used: a live agent is left as it is, and one an
     * operator deleted stays deleted. Answers whether it created it.
     */
    public Uni<Boolean> ensure(String name, String owner, String nodeType, Map<String, Object> config, boolean running) {
        if (!AgentNames.valid(name)) {
            throw new IllegalArgumentException("Not an agent name: " + name);
        }
        return store.nameUsed(name).flatMap(used -> {
            if (used) {
                return Uni.createFrom().item(false);
            }
            AgentRow row = new AgentRow();
            row.name = name;
            row.owner = owner;
            row.tags = new String[0];
            row.maxParallelTasks = defaultCapacity;
            row.runtimeKind = RuntimeKind.NATIVE.wire();
            row.nodeType = nodeType;
            row.nodeConfig = config;
            row.desiredState = running ? AgentStatus.RUNNING : AgentStatus.STOPPED;
            // Another replica may create it first: then the name is taken, which is what was wanted.
            return store.create(row).replaceWith(true)
                    .onFailure().recoverWithUni(e -> store.nameUsed(name).map(taken -> {
                        if (!taken) {
                            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
                        }
                        LOG.debugf("Agent %s was created concurrently", name);
                        return false;
                    }));
        });
    }

    /**
     * Records whether the live agent of that name should run, if it is the one {@link #ensure} made
     * (same node type and configuration): an agent someone else took the name for is left alone.
     */
    public Uni<Boolean> setRunning(String name, String nodeType, Map<String, Object> config, boolean running) {
        return store.setDesiredState(name, running ? AgentStatus.RUNNING : AgentStatus.STOPPED,
                row -> nodeType.equals(row.nodeType) && config.equals(row.nodeConfig));
    }

    /** Live agents of a node type that an operator wants running. */
    public Uni<List<AgentSpec>> running(String nodeType) {
        return store.runningOfNodeType(nodeType).map(rows -> rows.stream().map(AgentRow::spec).toList());
    }

    /**
     * Queues a task on a native agent on behalf of the service (trigger: {@code webhook}, {@code poll},
     * {@code pipeline}) and starts it, like a task an operator submits: same record, capacity and
     * lease. The answer carries the task id and its outcome to come. Fails when the agent is gone
     * or at capacity.
     */
    public Uni<QueuedTask> submit(String agent, String message, String requestedBy, String trigger) {
        return store.findLive(agent).flatMap(row -> row == null
                ? Uni.createFrom().failure(RegistryProblem.notFound())
                : tasks.submitInternal(row, message, requestedBy, trigger)
                        .map(submitted -> new QueuedTask(submitted.id(), submitted.outcome())));
    }

    /** A queued task and its outcome, once it ends. */
    public record QueuedTask(UUID id, Uni<TaskOutcome> outcome) {}
}
