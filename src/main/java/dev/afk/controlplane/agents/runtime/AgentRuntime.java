package dev.afk.controlplane.agents.runtime;

import io.smallrye.mutiny.Uni;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One runtime kind. The task-execution service owns the task record, capacity and lifecycle;
 * a runtime only starts, stops, reports and executes.
 */
public interface AgentRuntime {

    RuntimeKind kind();

    /** Features this agent supports; a UI shows only these, other routes answer 409. */
    Set<Feature> features(AgentSpec agent);

    /** Current status: one of {@link AgentStatus} or an engine state passed through. */
    Uni<String> status(AgentSpec agent);

    /** Makes the agent run. The desired state is already stored. */
    Uni<Void> start(AgentSpec agent);

    /** Makes the agent stop. The desired state is already stored. */
    Uni<Void> stop(AgentSpec agent);

    /** Runs one task to its end. A failure the runtime understands is a failed outcome, not an exception. */
    Uni<TaskOutcome> execute(AgentSpec agent, TaskRequest task);

    /**
     * Asks the agent to abandon a task already recorded as cancelled, best effort. In-process
     * executions are stopped by cancelling their subscription, hence the empty default.
     */
    default Uni<Void> cancel(AgentSpec agent, UUID taskId) {
        return Uni.createFrom().voidItem();
    }

    /** Where this agent's tasks live when not in the registry's task table; empty by default. */
    default Optional<TaskSource> taskSource(AgentSpec agent) {
        return Optional.empty();
    }
}
