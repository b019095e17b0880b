package dev.afk.controlplane.agents;

import dev.afk.controlplane.agents.runtime.AgentStatus;
import dev.afk.controlplane.agents.runtime.RegistryConfig;
import dev.afk.controlplane.agents.runtime.RuntimeKind;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
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
    private final int defaultCapacity;

    NativeAgents(AgentStore store, RegistryConfig config) {
        this.store = store;
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
}
