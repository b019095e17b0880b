package dev.afk.controlplane.agents.runtime;

import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Tasks an agent keeps outside the registry's task table, e.g. a pipeline whose work items start
 * from somewhere else. The registry lists them but does not create or cancel them.
 */
public interface TaskSource {

    /** Where these tasks start and are managed, one sentence: the detail of the 409 a submit or cancel gets. */
    String managedElsewhere(AgentSpec agent);

    /** Most recent first. */
    Uni<List<TaskSnapshot>> recent(AgentSpec agent, int limit);

    Uni<Optional<TaskSnapshot>> find(AgentSpec agent, UUID id);
}
