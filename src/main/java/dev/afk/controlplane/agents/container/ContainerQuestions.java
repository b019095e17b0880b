package dev.afk.controlplane.agents.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.afk.controlplane.agents.queue.AnswerRelay;
import dev.afk.controlplane.agents.queue.OperatorQueue;
import dev.afk.controlplane.agents.queue.QueueConfig;
import dev.afk.controlplane.agents.queue.QueueItem;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Container agents ask through a file of their own, Trinity's {@code ~/.trinity/operator-queue.json},
 * read through the engine's archive API on a bounded schedule and written back with the answer.
 * The file's shape (docs/registry.md): {@code {"items": [{"id", "kind", "text", …, "status"}]}};
 * items whose {@code status} is absent or {@code pending} are raised, the others are left alone. An
 * answer sets the item's {@code status} to {@code answered} and adds {@code answer}, {@code answeredBy},
 * {@code answeredAt} and {@code queueId}.
 *
 * <p>A file is parsed only when its content changed since the last read on this replica, so a
 * malformed file is refused and recorded once, not at every pass.
 */
@ApplicationScoped
public class ContainerQuestions implements AnswerRelay {

    public static final String SOURCE = "container";

    private static final Logger LOG = Logger.getLogger(ContainerQuestions.class);

    private final ContainerEngine engine;
    private final ContainerView view;
    private final OperatorQueue queue;
    private final QueueConfig.Containers config;
    private final ObjectMapper json;
    /** Per container id: the digest of the content last read, or the reason it could not be. */
    private final Map<String, String> lastRead = new ConcurrentHashMap<>();

    ContainerQuestions(ContainerEngine engine, ContainerView view, OperatorQueue queue, QueueConfig config, ObjectMapper json) {
        this.engine = engine;
        this.view = view;
        this.queue = queue;
        this.config = config.containers();
        this.json = json;
    }

    @Override
    public String source() {
        return SOURCE;
    }

    @Scheduled(every = "${afk.agents.queue.containers.every:5s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledRead() {
        return readRunning().onFailure().invoke(e -> LOG.warnf("Reading container agents' queue files failed: %s",
                e.getClass().getSimpleName())).onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Reads the queue file of every running agent container (up to the per-pass bound); the number read. */
    public Uni<Integer> readRunning() {
        EngineListing listing = view.current();
        if (!listing.available()) {
            return Uni.createFrom().item(0);
        }
        List<AgentContainer> running = listing.containers().stream()
                .filter(c -> "running".equals(c.state())).limit(config.perPass()).toList();
        lastRead.keySet().retainAll(listing.containers().stream().map(AgentContainer::id).toList());
        if (running.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Multi.createFrom().iterable(running)
                .onItem().transformToUni(c -> read(c).onFailure().recoverWithItem(e -> {
                    LOG.debugf("Queue file of %s not read: %s", c.agentName(), e.toString());
                    return false;
                }))
                .merge(config.concurrency())
                .collect().asList()
                .map(List::size);
    }

    /** True when the file changed and was looked at. */
    private Uni<Boolean> read(AgentContainer container) {
        String name = AgentContainer.containerName(container.agentName());
        return engine.readFile(name, config.file(), config.maxBytes())
                .onFailure(UnreadableFileException.class).recoverWithUni(e -> {
                    String reason = e.getMessage();
                    Uni<Void> recorded = reason.equals(lastRead.put(container.id(), reason)) ? Uni.createFrom().voidItem()
                            : queue.refuse(container.agentName(), SOURCE, "queue file refused: " + reason, "");
                    return recorded.replaceWith(Optional.<byte[]>empty());
                })
                .flatMap(content -> {
                    if (content.isEmpty()) {
                        return Uni.createFrom().item(false);
                    }
                    String digest = digest(content.get());
                    if (digest.equals(lastRead.put(container.id(), digest))) {
                        return Uni.createFrom().item(false);
                    }
                    return offer(container.agentName(), content.get()).replaceWith(true);
                });
    }

    /** Raises the file's pending items; a file that is no list of items is refused as a whole. */
    private Uni<Void> offer(String agent, byte[] content) {
        JsonNode file;
        try {
            file = json.readTree(content);
        } catch (IOException e) {
            return queue.refuse(agent, SOURCE, "queue file is not JSON", new String(content, StandardCharsets.UTF_8));
        }
        if (file == null || !file.isObject() || !file.path("items").isArray()) {
            return queue.refuse(agent, SOURCE, "queue file must be an object with an 'items' list",
                    new String(content, StandardCharsets.UTF_8));
        }
        ArrayNode items = (ArrayNode) file.get("items");
        List<JsonNode> pending = new java.util.ArrayList<>();
        items.forEach(item -> {
            String status = item.path("status").asText("pending");
            if (!item.isObject() || "pending".equals(status)) {
                pending.add(item);
            }
        });
        Uni<Void> excess = pending.size() <= config.maxItems() ? Uni.createFrom().voidItem()
                : queue.refuse(agent, SOURCE, "queue file has " + pending.size() + " pending items; only the first "
                        + config.maxItems() + " are read", "");
        List<JsonNode> read = pending.subList(0, Math.min(pending.size(), config.maxItems()));
        return excess.chain(() -> Multi.createFrom().iterable(read)
                .onItem().transformToUniAndConcatenate(item -> queue.raise(agent, SOURCE,
                        item.isObject() ? new io.vertx.core.json.JsonObject(withoutStatus((ObjectNode) item).toString()).getMap()
                                : item.toString()))
                .collect().asList().replaceWithVoid());
    }

    private static ObjectNode withoutStatus(ObjectNode item) {
        ObjectNode copy = item.deepCopy();
        copy.remove("status");
        return copy;
    }

    /**
     * Writes the answer into the item it answers, in the agent's file. An item that already carries
     * this answer (its {@code queueId}) is left as it is, so a repeated write changes nothing.
     */
    @Override
    public Uni<Void> relay(QueueItem item) {
        String name = AgentContainer.containerName(item.agent());
        return engine.readFile(name, config.file(), config.maxBytes()).flatMap(content -> {
            if (content.isEmpty()) {
                throw new IllegalStateException("agent " + item.agent() + " has no queue file to answer in");
            }
            ObjectNode file;
            try {
                file = (ObjectNode) json.readTree(content.get());
            } catch (IOException | ClassCastException e) {
                throw new IllegalStateException("the queue file of " + item.agent() + " is no longer readable");
            }
            ObjectNode answered = null;
            for (JsonNode candidate : file.path("items")) {
                if (candidate.isObject() && item.sourceRef().equals(candidate.path("id").asText(null))) {
                    answered = (ObjectNode) candidate;
                }
            }
            if (answered == null) {
                throw new IllegalStateException("the queue file of " + item.agent() + " no longer has item " + item.sourceRef());
            }
            if (item.id().toString().equals(answered.path("queueId").asText(null))) {
                return Uni.createFrom().voidItem();
            }
            answered.put("status", "answered").put("answer", item.answer()).put("answeredBy", item.answeredBy())
                    .put("answeredAt", String.valueOf(item.answeredAt())).put("queueId", item.id().toString());
            byte[] written;
            try {
                written = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(file);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return engine.writeFile(name, config.file(), written);
        });
    }

    private static String digest(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
