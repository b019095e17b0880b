package dev.afk.controlplane.agents.nativekind;

import dev.afk.controlplane.agents.queue.OperatorQueue;
import dev.afk.controlplane.agents.runtime.AgentSpec;
import dev.afk.controlplane.agents.runtime.TaskRequest;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;
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

    /**
     * Puts a question, approval or alert of {@code asking} before people, in the operator queue
     * (the item's JSON shape is the one of docs/registry.md: {@code id}, {@code kind}, {@code text},
     * and optionally {@code priority}, {@code addressee}, {@code options}, {@code expiresInSeconds}).
     * Raising the same {@code id} again is the same item. The answer comes back once, to the node
     * type's {@link NodeType#answered}. A malformed or over-cap item is refused, never thrown: the
     * result says why.
     */
    Uni<OperatorQueue.Raised> ask(AgentSpec asking, Map<String, Object> item);

    /** An agent and how busy it is: tasks queued or running, out of its capacity. */
    record AgentLoad(String name, int activeTasks, int capacity) {
        public boolean hasRoom() {
            return activeTasks < capacity;
        }
    }
}
