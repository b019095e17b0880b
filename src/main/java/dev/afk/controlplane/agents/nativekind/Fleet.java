package dev.afk.controlplane.agents.nativekind;

import dev.afk.controlplane.agents.runtime.AgentSpec;
import dev.afk.controlplane.agents.runtime.TaskRequest;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.UUID;

/** The rest of the registry, as a node type may use it. */
public interface Fleet {

    /** Running agents other than {@code asking}, owned by its owner and carrying {@code tag}, with their load. */
    Uni<List<AgentLoad>> runningAgentsTagged(AgentSpec asking, String tag);

    /**
     * Queues {@code task}'s message on {@code target} as a new task forwarded by {@code from}, and
     * returns its id. Fails when the target is full or not running.
     */
    Uni<UUID> forward(AgentSpec from, TaskRequest task, String target);

    /** An agent and how busy it is: tasks queued or running, out of its capacity. */
    record AgentLoad(String name, int activeTasks, int capacity) {
        public boolean hasRoom() {
            return activeTasks < capacity;
        }
    }
}
