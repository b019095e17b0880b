package dev.afk.controlplane.agents.nativekind;

import dev.afk.controlplane.agents.queue.QueueItem;
import dev.afk.controlplane.agents.runtime.AgentSpec;
import dev.afk.controlplane.agents.runtime.Feature;
import dev.afk.controlplane.agents.runtime.TaskOutcome;
import dev.afk.controlplane.agents.runtime.TaskRequest;
import dev.afk.controlplane.agents.runtime.TaskSource;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A kind of native agent: code that runs tasks in-process. To add one, write an
 * {@code @ApplicationScoped} bean implementing this interface; {@link NodeTypes} finds it by
 * {@link #name()}, and agents with {@code nodeType = name()} run on it.
 *
 * <p>The platform owns identity, the task record, capacity and delivery; a node type only
 * validates its configuration and turns one task into one outcome.
 */
public interface NodeType {

    /** The name agents refer to, e.g. {@code router}. Lower-case, stable. */
    String name();

    /**
     * Whether its agents are made and kept by the service itself (one per enrolled repository, say):
     * the registry API does not create them, and starting or stopping one needs the operator role,
     * because it acts on what the agent fronts.
     */
    default boolean serviceOwned() {
        return false;
    }

    /** Features its agents support. By default a native agent has no files, git, shell, sessions or loops. */
    default Set<Feature> features() {
        return Feature.NATIVE_DEFAULT;
    }

    /** Problems with a configuration, one sentence each; empty when it is valid. */
    List<String> validate(Map<String, Object> config);

    /**
     * Runs one task to its end. The agent's configuration has been validated. Failures the node
     * type understands are failed outcomes with an error code; an exception is recorded as
     * {@code agent_error}.
     */
    Uni<TaskOutcome> execute(AgentSpec agent, TaskRequest task, Fleet fleet);

    /** Called when an operator starts the agent, before the desired state is stored. Nothing by default. */
    default Uni<Void> start(AgentSpec agent) {
        return Uni.createFrom().voidItem();
    }

    /** Called when an operator stops the agent, before the desired state is stored. Nothing by default. */
    default Uni<Void> stop(AgentSpec agent) {
        return Uni.createFrom().voidItem();
    }

    /** The agent's status; by default its desired state. A node type fronting something else may tell more. */
    default Uni<String> status(AgentSpec agent) {
        return Uni.createFrom().item(NativeRuntime.statusOf(agent));
    }

    /**
     * An answer to an item one of its agents raised with {@link Fleet#ask}: called once per answer
     * (at most once, even across replicas and restarts), on whichever replica took it. A failure is
     * retried a few times, then recorded as a failed relay. Ignores answers by default.
     */
    default Uni<Void> answered(AgentSpec agent, QueueItem item) {
        return Uni.createFrom().voidItem();
    }

    /** Where its agents' tasks live, when not in the registry's task table. Empty by default. */
    default Optional<TaskSource> taskSource() {
        return Optional.empty();
    }
}
