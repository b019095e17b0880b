package dev.afk.controlplane.agents;

import dev.afk.controlplane.agents.nativekind.Fleet;
import dev.afk.controlplane.agents.nativekind.NodeType;
import dev.afk.controlplane.agents.queue.QueueItem;
import dev.afk.controlplane.agents.runtime.AgentSpec;
import dev.afk.controlplane.agents.runtime.TaskOutcome;
import dev.afk.controlplane.agents.runtime.TaskRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A node type whose task asks its operator which way to go through the queue, waits for the answer
 * and finishes with it. Counts the answers its callback receives.
 */
@ApplicationScoped
public class AskingNodeType implements NodeType {

    static final String NAME = "test-asking";

    private final Map<String, CompletableFuture<String>> waiting = new ConcurrentHashMap<>();
    private final Map<UUID, AtomicInteger> answers = new ConcurrentHashMap<>();

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
        String ref = "task-" + task.id();
        CompletableFuture<String> answer = waiting.computeIfAbsent(ref, r -> new CompletableFuture<>());
        return fleet.ask(agent, Map.of("id", ref, "kind", "question", "text", task.message(), "options", List.of("left", "right")))
                .flatMap(raised -> raised.accepted()
                        ? Uni.createFrom().completionStage(answer).map(a -> TaskOutcome.succeeded("went " + a))
                        : Uni.createFrom().item(TaskOutcome.failed("refused", raised.rejection())));
    }

    @Override
    public Uni<Void> answered(AgentSpec agent, QueueItem item) {
        answers.computeIfAbsent(item.id(), id -> new AtomicInteger()).incrementAndGet();
        CompletableFuture<String> task = waiting.get(item.sourceRef());
        if (task != null) {
            task.complete(item.answer());
        }
        return Uni.createFrom().voidItem();
    }

    int answersTo(UUID item) {
        AtomicInteger n = answers.get(item);
        return n == null ? 0 : n.get();
    }
}
