package dev.afk.controlplane.agents;

import dev.afk.controlplane.agents.queue.AnswerRelay;
import dev.afk.controlplane.agents.queue.QueueItem;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A source's relay that records each answer it is handed; items whose text says so fail a number of times first. */
@ApplicationScoped
public class RecordingRelay implements AnswerRelay {

    static final String SOURCE = "test-source";
    static final String FAIL_TWICE = "[fail twice]";

    private final Map<UUID, AtomicInteger> received = new ConcurrentHashMap<>();
    private final Map<UUID, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Map<UUID, String> answers = new ConcurrentHashMap<>();

    @Override
    public String source() {
        return SOURCE;
    }

    @Override
    public Uni<Void> relay(QueueItem item) {
        int attempt = attempts.computeIfAbsent(item.id(), id -> new AtomicInteger()).incrementAndGet();
        if (item.text().contains(FAIL_TWICE) && attempt <= 2) {
            return Uni.createFrom().failure(new IllegalStateException("agent unreachable"));
        }
        received.computeIfAbsent(item.id(), id -> new AtomicInteger()).incrementAndGet();
        answers.put(item.id(), item.answer());
        return Uni.createFrom().voidItem();
    }

    int received(UUID id) {
        AtomicInteger n = received.get(id);
        return n == null ? 0 : n.get();
    }

    String answer(UUID id) {
        return answers.get(id);
    }
}
