package dev.afk.controlplane.agents.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The view kept from the engine's events, against a stateful in-memory engine whose event
 * stream and list answers the test releases one by one, so every ordering can be staged.
 */
class ContainerViewTests {

    /** Containers by id, an event stream per connection, list answers held until released. */
    static final class StagedEngine implements ContainerEngine {
        final Map<String, AgentContainer> containers = new LinkedHashMap<>();
        final List<UnicastProcessor<ContainerEvent>> streams = new ArrayList<>();
        final List<io.smallrye.mutiny.subscription.UniEmitter<? super EngineListing>> lists = new ArrayList<>();
        final AtomicInteger connects = new AtomicInteger();
        boolean reachable = true;

        @Override
        public synchronized Multi<ContainerEvent> events() {
            connects.incrementAndGet();
            if (!reachable) {
                return Multi.createFrom().failure(new EngineUnavailableException("down"));
            }
            UnicastProcessor<ContainerEvent> stream = UnicastProcessor.create();
            streams.add(stream);
            stream.onNext(ContainerEvent.connected());
            return stream;
        }

        @Override
        public synchronized Uni<EngineListing> listAgents() {
            return Uni.createFrom().emitter(lists::add);
        }

        /** Answers the oldest pending list with the containers as they are now. */
        synchronized void answerList() {
            lists.remove(0).complete(EngineListing.of(List.copyOf(containers.values())));
        }

        UnicastProcessor<ContainerEvent> stream() {
            return streams.get(streams.size() - 1);
        }

        /** A change in the engine, and its event on the open stream (if any). */
        synchronized void change(String id, String name, String state) {
            containers.put(id, container(id, name, state));
            if (!streams.isEmpty()) {
                stream().onNext(new ContainerEvent(ContainerEvent.Kind.CHANGED, id, "agent-" + name, state, "img",
                        Map.of("trinity.platform", "agent"), Instant.now()));
            }
        }

        synchronized void remove(String id) {
            containers.remove(id);
            if (!streams.isEmpty()) {
                stream().onNext(new ContainerEvent(ContainerEvent.Kind.REMOVED, id, null, null, null, Map.of(), Instant.now()));
            }
        }

        @Override
        public Uni<Optional<AgentContainer>> inspect(String containerName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<Void> start(String containerName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<Void> stop(String containerName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<List<LogLine>> logs(String containerName, int tail) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<ContainerStats> stats(String containerName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<java.util.Optional<byte[]>> readFile(String containerName, String path, int maxBytes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<Void> writeFile(String containerName, String path, byte[] content) {
            throw new UnsupportedOperationException();
        }
    }

    static AgentContainer container(String id, String name, String state) {
        return AgentContainer.fromLabels(id, "agent-" + name, "img", state, 1L, Map.of("trinity.platform", "agent"));
    }

    private final StagedEngine engine = new StagedEngine();
    private final ContainerView view = new ContainerView(engine, Duration.ofMillis(20));

    @AfterEach
    void close() {
        view.close();
    }

    private Map<String, String> statuses() {
        Map<String, String> byName = new LinkedHashMap<>();
        view.current().containers().forEach(c -> byName.put(c.agentName(), c.status()));
        return byName;
    }

    @Test
    void isUnavailableUntilTheFirstListThenFollowsEvents() {
        engine.change("1", "alpha", "running");
        view.watch();
        assertThat(view.current().available()).isFalse();

        engine.answerList();
        assertThat(view.current().available()).isTrue();
        assertThat(statuses()).containsExactly(Map.entry("alpha", "running"));

        engine.change("2", "bravo", "created");
        engine.change("1", "alpha", "exited");
        assertThat(statuses()).containsOnly(Map.entry("alpha", "stopped"), Map.entry("bravo", "stopped"));

        engine.remove("1");
        assertThat(statuses()).containsOnly(Map.entry("bravo", "stopped"));
    }

    @Test
    void eventsDuringTheFirstListAreReplayedOnIt() {
        engine.change("1", "alpha", "created");
        view.watch();
        // Changes the list may or may not reflect: after it answers, the view must end as the engine is.
        engine.change("1", "alpha", "running");
        engine.change("2", "bravo", "created");
        engine.remove("2");
        engine.change("3", "charlie", "created");
        engine.answerList();

        assertThat(statuses()).containsOnly(Map.entry("alpha", "running"), Map.entry("charlie", "stopped"));
    }

    @Test
    void aRenameKeepsTheStateAndAnUnknownContainerIsNotInvented() {
        engine.change("1", "alpha", "running");
        view.watch();
        engine.answerList();

        engine.stream().onNext(new ContainerEvent(ContainerEvent.Kind.CHANGED, "1", "/agent-alpha2", null, null, Map.of(), null));
        engine.stream().onNext(new ContainerEvent(ContainerEvent.Kind.CHANGED, "9", "/agent-ghost", null, null, Map.of(), null));

        assertThat(statuses()).containsExactly(Map.entry("alpha2", "running"));
    }

    @Test
    void aGapMakesItUnavailableAndTheNextConnectionReadsTheWholeListAgain() {
        engine.change("1", "alpha", "running");
        view.watch();
        engine.answerList();

        engine.stream().onComplete(); // the engine restarted, say
        assertThat(view.current().available()).isFalse();
        assertThat(view.current().containers()).isEmpty();
        // What changed while nobody listened is only in the list.
        engine.containers.clear();
        engine.containers.put("2", container("2", "bravo", "running"));

        await().atMost(Duration.ofSeconds(5)).until(() -> engine.lists.size() == 1);
        engine.answerList();
        assertThat(view.current().available()).isTrue();
        assertThat(statuses()).containsExactly(Map.entry("bravo", "running"));
    }

    @Test
    void staysUnavailableWhileTheEngineCannotBeReachedAndRetries() {
        engine.reachable = false;
        view.watch();
        await().atMost(Duration.ofSeconds(5)).until(() -> engine.connects.get() >= 3);
        assertThat(view.current().available()).isFalse();
        assertThat(view.current().problem()).contains("down");

        engine.reachable = true;
        await().atMost(Duration.ofSeconds(5)).until(() -> !engine.lists.isEmpty());
        engine.answerList();
        assertThat(view.current().available()).isTrue();
    }

    @Test
    void aListFromABrokenConnectionIsIgnored() {
        view.watch();
        engine.stream().onError(new EngineUnavailableException("reset")); // before the list answered
        await().atMost(Duration.ofSeconds(5)).until(() -> engine.lists.size() == 2);

        engine.change("1", "alpha", "running");
        engine.answerList(); // the first connection's: ignored
        assertThat(view.current().available()).isFalse();
        engine.answerList();
        assertThat(statuses()).containsExactly(Map.entry("alpha", "running"));
    }
}
