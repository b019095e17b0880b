package dev.afk.controlplane.agents;

import dev.afk.controlplane.agents.nativekind.NodeTypes;
import dev.afk.controlplane.agents.queue.AnswerRelay;
import dev.afk.controlplane.agents.queue.QueueItem;
import dev.afk.controlplane.agents.runtime.RuntimeKind;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Hands answers to items native agents raised (through {@code Fleet.ask}) to their node type's callback. */
@ApplicationScoped
class NativeAnswers implements AnswerRelay {

    static final String SOURCE = "native";

    private final AgentStore agents;
    private final NodeTypes nodeTypes;

    NativeAnswers(AgentStore agents, NodeTypes nodeTypes) {
        this.agents = agents;
        this.nodeTypes = nodeTypes;
    }

    @Override
    public String source() {
        return SOURCE;
    }

    @Override
    public Uni<Void> relay(QueueItem item) {
        return agents.findLive(item.agent()).flatMap(row -> {
            if (row == null || row.kind() != RuntimeKind.NATIVE) {
                return Uni.createFrom().failure(new IllegalStateException("no native agent " + item.agent()));
            }
            return nodeTypes.find(row.nodeType)
                    .map(type -> Uni.createFrom().deferred(() -> type.answered(row.spec(), item)))
                    .orElseGet(() -> Uni.createFrom().failure(new IllegalStateException("no node type " + row.nodeType)));
        });
    }
}
